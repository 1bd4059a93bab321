"""URLs of the REST API, version 1."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import exchange, text, views, writes

router = DefaultRouter()
router.register("concepts", writes.ConceptWriteViewSet, basename="concept")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("quotes", views.QuoteViewSet, basename="quote")

urlpatterns = [
    path("languages/", views.LanguageListView.as_view(), name="languages"),
    path("terms/", views.TermSearchView.as_view(), name="terms"),
    path("lookup/", views.LookupView.as_view(), name="lookup"),
    path("annotate/", text.AnnotateView.as_view(), name="annotate"),
    path("check/", text.CheckView.as_view(), name="check"),
    path("export/<str:file_format>/", exchange.ExportView.as_view(), name="export"),
    path("import/", exchange.ImportView.as_view(), name="import"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Its initialisation script is a file (docs/?script), not inline: see the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("", include(router.urls)),
]
