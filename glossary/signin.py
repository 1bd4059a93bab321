"""Sign-in attempts limited per account and address, so passwords cannot be guessed.

After SIGNIN_MAX_FAILURES failed sign-ins for one username from one address within
SIGNIN_WINDOW_SECONDS of the first, further attempts are refused, without checking the
password, until that window has passed. Every password check goes through the
authentication backend, so the limit holds for the admin and any other sign-in; the
admin's form says how long to wait. Counts live in Django's default cache.
"""

import hashlib
import math
import time

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.throttling import BaseThrottle


def _key(request, username: str) -> str:
    # The address as the API's throttles see it: NUM_PROXIES applies.
    address = BaseThrottle().get_ident(request) or ""
    digest = hashlib.sha256(f"{username.casefold()}\0{address}".encode()).hexdigest()
    return f"glossary:signin:{digest}"


def locked_for(request, username: str | None) -> int:
    """Seconds until this username may sign in again from this address; 0: now."""
    if request is None or not username:
        return 0
    first, failures = cache.get(_key(request, username), (0.0, 0))
    if failures < settings.SIGNIN_MAX_FAILURES:
        return 0
    return max(1, math.ceil(first + settings.SIGNIN_WINDOW_SECONDS - time.time()))


def record_failure(request, username: str) -> None:
    key = _key(request, username)
    now = time.time()
    first, failures = cache.get(key, (now, 0))
    remaining = first + settings.SIGNIN_WINDOW_SECONDS - now
    cache.set(key, (first, failures + 1), timeout=max(1, math.ceil(remaining)))


def forget_failures(request, username: str) -> None:
    cache.delete(_key(request, username))


def locked_message(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Too many failed sign-ins for this account from your address. "
        "Try again in %(minutes)d minute.",
        "Too many failed sign-ins for this account from your address. "
        "Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class ThrottledModelBackend(ModelBackend):
    """Django's backend, refusing at once a username and address past the limit."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if locked_for(request, username):
            # Stops every backend: authenticate() answers None, no password hashed.
            raise PermissionDenied(_("Too many failed sign-ins."))
        user = super().authenticate(request, username, password, **kwargs)
        if request is not None and username:
            if user is None:
                record_failure(request, username)
            else:
                forget_failures(request, username)
        return user


class AdminSignInForm(AdminAuthenticationForm):
    """The admin's sign-in form, saying how long to wait once past the limit."""

    def clean(self):
        seconds = locked_for(self.request, self.cleaned_data.get("username"))
        if seconds:
            raise ValidationError(locked_message(seconds), code="throttled")
        return super().clean()
