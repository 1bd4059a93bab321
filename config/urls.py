"""Top-level URLs: the admin, the UI language switch and the versioned API."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from glossary.health import healthz
from glossary.signin import AdminSignInForm

# It says how long to wait once sign-ins are refused after too many failures.
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/docs/", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("glossary.api.urls")),
]
