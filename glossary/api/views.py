"""Read-only API views: validate the input, call one domain function, serialize.

Each passes what its reader may see (`visibility.for_user`) to the domain function.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import caching, editing, languages, search, visibility
from ..errors import NotFound
from ..models import SourceDocument, Term
from . import serializers as s
from .filters import ConceptFilter, QuoteFilter


class LanguageListView(APIView):
    """The supported languages, with their names in every UI language."""

    @extend_schema(responses=s.LanguageSerializer(many=True))
    def get(self, request: Request) -> Response:
        data = [
            {
                "tag": tag,
                "names": languages.display_names(tag),
                "core": tag in languages.CORE_TAGS,
            }
            for tag in languages.TAGS
        ]
        return Response(s.LanguageSerializer(data, many=True).data)


class ConceptViewSet(viewsets.ReadOnlyModelViewSet):
    """Concepts: a filterable list, and one concept by slug with all it holds."""

    lookup_field = "slug"
    filterset_class = ConceptFilter

    def get_queryset(self):
        visible = visibility.for_user(self.request.user)
        if self.action == "retrieve":
            concepts = search.concept_details(visible)
        else:
            concepts = search.concepts_for_display(visible.concepts())
        return concepts.order_by("slug")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.ConceptDetailSerializer
        return s.ConceptListSerializer

    @extend_schema(responses=s.ConceptVersionSerializer(many=True), filters=False)
    @action(detail=True, pagination_class=None, filterset_class=None)
    def history(self, request: Request, slug: str) -> Response:
        """Every recorded version of the concept, newest first, with what it changed:
        who, when, through which path (admin, api, import, seed, revert)."""
        visible = visibility.for_user(request.user)
        concept = visible.concepts().filter(slug=slug).first()
        if concept is None:
            raise NotFound(f"No concept has the slug {slug!r}.", field="slug")
        rows = [
            {**vars(version), "changes": changes}
            for version, changes in editing.history_with_changes(concept)
        ]
        return Response(s.ConceptVersionSerializer(rows, many=True).data)


class TermSearchView(generics.ListAPIView):
    """Terms equal to, starting with, containing or close to a text, in any script."""

    serializer_class = s.ScoredTermSerializer

    @extend_schema(parameters=[s.TermSearchParams])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Term.objects.none()
        given = s.TermSearchParams(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        params = given.validated_data
        return search.search_terms(
            params["q"],
            language=params.get("lang"),
            match=params["match"],
            visible=visibility.for_user(self.request.user),
        )


class LookupView(APIView):
    """The translator's call: a term in one language, its renderings in the others."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                required=True,
                description="The term to look up, e.g. Khorgos.",
            ),
            OpenApiParameter(
                "from",
                OpenApiTypes.STR,
                description="Language of q (default en); aliases such as en-US work.",
            ),
            OpenApiParameter(
                "to",
                OpenApiTypes.STR,
                description="Comma-separated target languages, e.g. zh-Hans,ru "
                "(default: all others).",
            ),
            OpenApiParameter(
                "match",
                OpenApiTypes.STR,
                enum=search.MATCH_MODES,
                description=s.MATCH_HELP,
            ),
        ],
        responses=s.LookupResponseSerializer,
    )
    def get(self, request: Request) -> Response:
        given = s.LookupParams(data=request.query_params)
        given.is_valid(raise_exception=True)
        params = given.validated_data
        parts = tuple(sorted((k, str(v)) for k, v in params.items()))
        visible = visibility.for_user(request.user)
        body = caching.per_glossary_version(
            "lookup", parts, lambda: self.answer(params, visible), visible=visible
        )
        return Response(body)

    def answer(self, params: dict, visible: visibility.Visible) -> dict:
        results = search.lookup(
            params["q"],
            source_language=params["source"],
            target_languages=params.get("to"),
            match=params["match"],
            visible=visible,
        )
        targets = params.get("to") or [
            t for t in languages.TAGS if t != params["source"]
        ]
        body = {
            "query": params["q"],
            "source": params["source"],
            "targets": targets,
            "count": len(results),
            "results": results,
        }
        return s.LookupResponseSerializer(body).data


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """The source documents the glossary quotes, verbatim, with their quotes."""

    lookup_field = "slug"

    def get_queryset(self):
        if self.action == "retrieve":
            visible = visibility.for_user(self.request.user)
            return search.document_details(visible).order_by("slug")
        return SourceDocument.objects.defer("text").order_by("slug")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.DocumentDetailSerializer
        return s.DocumentListSerializer


class QuoteViewSet(viewsets.ReadOnlyModelViewSet):
    """Quotes with the terms they attest; filter by document, concept or language."""

    serializer_class = s.QuoteSerializer
    filterset_class = QuoteFilter

    def get_queryset(self):
        quotes = search.visible_quotes(visibility.for_user(self.request.user))
        return quotes.order_by("document__slug", "start")
