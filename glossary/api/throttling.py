"""Request rates per client and endpoint class, from DEFAULT_THROTTLE_RATES.

A view's `throttle_scope` names its class: `text` for annotate/ and check/, which do the
most work per request, `import`; every other endpoint is `api`. Anonymous clients are
counted by address (NUM_PROXIES says which X-Forwarded-For entry is theirs), signed-in
ones by account, each at its own rate: `<class>_anon`, `<class>_user`. A class with no
rate is not limited. Counts live in Django's default cache.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class EndpointClassThrottle(SimpleRateThrottle):
    def __init__(self) -> None:
        # The rate depends on the request: allow_request sets it.
        pass

    def allow_request(self, request, view) -> bool:
        who = "user" if request.user and request.user.is_authenticated else "anon"
        self.scope = f"{getattr(view, 'throttle_scope', 'api')}_{who}"
        # Read per request, not once per process, so that settings can change.
        self.rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        if request.user and request.user.is_authenticated:
            ident = request.user.pk
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
