"""Writes over the API: concepts, their terms and their workflow, for signed-in roles.

Every write goes through the write service (glossary.editing), so the rules, the
messages and the history are those of the admin and the importer. Concept responses
carry an ETag from the concept's version; PUT, PATCH and DELETE need If-Match (428
without it) and get 412, with the current ETag, when someone changed the concept since.
"""

import re

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from .. import editing, search, visibility
from ..entries import ConceptEntry, DefinitionEntry, RelationEntry, TermEntry
from ..errors import (
    ConceptRejected,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    StaleVersion,
)
from ..models import Concept, ConceptRelation, RevisionOrigin, Term
from . import serializers as s
from .views import ConceptViewSet


class TermInput(serializers.Serializer):
    language = s.LanguageField()
    text = serializers.CharField(trim_whitespace=True)
    status = serializers.ChoiceField(
        choices=Term.Status.choices, default=Term.Status.PREFERRED
    )
    term_type = serializers.ChoiceField(
        choices=Term.TermType.choices, default=Term.TermType.FULL_FORM
    )
    part_of_speech = serializers.ChoiceField(
        choices=Term.PartOfSpeech.choices, allow_blank=True, default=""
    )
    romanization = serializers.CharField(allow_blank=True, default="")
    usage_note = serializers.CharField(allow_blank=True, default="")
    source = serializers.CharField(allow_blank=True, default="")


class DefinitionInput(serializers.Serializer):
    language = s.LanguageField()
    text = serializers.CharField()
    source = serializers.CharField(allow_blank=True, default="")


class RelationInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ConceptRelation.Kind.choices)
    target = serializers.SlugField(help_text="The slug of the other concept.")


class ConceptInput(serializers.Serializer):
    """A concept as a client writes it; the status moves only through workflow/."""

    slug = serializers.CharField(
        required=False, help_text="Made from the English term when left out."
    )
    kind = serializers.ChoiceField(choices=Concept.Kind.choices)
    domain = serializers.CharField(allow_blank=True, default="")
    visibility = serializers.ChoiceField(
        choices=Concept.Visibility.choices,
        required=False,
        help_text="public (the default for a new concept) or internal; left out, "
        "a concept keeps its own.",
    )
    note = serializers.CharField(allow_blank=True, default="")
    terms = TermInput(many=True, help_text="Every term of the concept.")
    definitions = DefinitionInput(many=True, default=list)
    relations = RelationInput(many=True, default=list)


class WorkflowInput(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=Concept.Status.choices,
        help_text="in_review to submit, approved, retired, or draft to return.",
    )
    comment = serializers.CharField(
        allow_blank=True,
        default="",
        help_text="Recorded in the history; needed to return a concept to draft.",
    )


def _origin(request: Request) -> editing.Origin:
    return editing.Origin(RevisionOrigin.Via.API, request.user)


def _etag(concept: Concept) -> str:
    return f'"{concept.version}"'


def _entry(data: dict, *, base: ConceptEntry | None = None) -> ConceptEntry:
    """The entry a request body states; with a base, what the body leaves out stays."""
    entry = base or ConceptEntry(data.get("slug"), whole=True)
    for name in ("slug", "kind", "domain", "visibility", "note"):
        if name in data:
            setattr(entry, name, data[name])
    if "terms" in data:
        # A term the concept has keeps its identity, and so its quotes.
        stored = {(t.language, t.text): t.id for t in base.terms} if base else {}
        entry.terms = [
            TermEntry(**term, id=stored.get((term["language"], term["text"])))
            for term in data["terms"]
        ]
    if "definitions" in data:
        entry.definitions = [DefinitionEntry(**d) for d in data["definitions"]]
    if "relations" in data:
        entry.relations = [RelationEntry(**r) for r in data["relations"]]
    return entry


def _rejected_field(error: ConceptRejected) -> str | None:
    """The field a refused entry names, as a path in the request body."""
    first = next(iter(error.report.of("conflict")), None)
    if first is None:
        return error.field
    if first.item is not None:
        part, index = first.item
        return f"{part}[{index}].{first.field}" if first.field else f"{part}[{index}]"
    return first.field


class ConceptWriteViewSet(ConceptViewSet):
    """Concepts: read by anyone (see ConceptViewSet), written by the team's roles."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return ConceptInput
        return super().get_serializer_class()

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    def _concept(self, slug: str) -> Concept:
        # A concept the writer may not read is answered as no concept at all.
        visible = visibility.for_user(self.request.user).concepts()
        concept = visible.filter(slug=slug).first()
        if concept is None:
            raise NotFound(f"No concept has the slug {slug!r}.", field="slug")
        return concept

    def _expected(self, request: Request, concept: Concept) -> int:
        """The version If-Match names; 428 without one, 412 when it is stale."""
        header = request.headers.get("If-Match")
        if not header:
            raise PreconditionRequired(
                "Send If-Match with the ETag of the concept as you read it, so "
                "nobody's change is overwritten unseen.",
                field="If-Match",
            )
        match = re.fullmatch(r'\s*(?:W/)?"(\d+)"\s*', header)
        if header.strip() != "*" and (
            match is None or int(match.group(1)) != concept.version
        ):
            self.current_etag = _etag(concept)
            raise PreconditionFailed(
                f"The concept is at version {concept.version} (ETag "
                f"{_etag(concept)}); someone changed it after you read it. Read it "
                "again and reapply your change.",
                field="If-Match",
            )
        return concept.version

    def finalize_response(self, request, response, *args, **kwargs):
        current = getattr(self, "current_etag", None)
        if current and response.status_code == status.HTTP_412_PRECONDITION_FAILED:
            response["ETag"] = current
        return super().finalize_response(request, response, *args, **kwargs)

    def _save(self, entry: ConceptEntry, request: Request, code: int) -> Response:
        try:
            # A client that names a relation's target means it: no such concept is
            # an error here, not a relation silently left out.
            concept, report = editing.save_concept(
                entry, origin=_origin(request), refuse=frozenset({"unknown_target"})
            )
        except ConceptRejected as error:
            if any(item.code == "stale" for item in error.report.of("conflict")):
                raise PreconditionFailed(str(error), field="If-Match") from None
            raise ConceptRejected(
                str(error), report=error.report, field=_rejected_field(error)
            ) from None
        except StaleVersion as error:
            raise PreconditionFailed(str(error), field="If-Match") from None
        # The writer is shown what they wrote, whether or not their role reads it.
        concept = search.concept_details(visibility.EVERYTHING).get(pk=concept.pk)
        body = s.ConceptDetailSerializer(concept, context={"request": request}).data
        body["warnings"] = [item.message for item in report.of("warning")]
        headers = {"ETag": _etag(concept)}
        if code == status.HTTP_201_CREATED:
            headers["Location"] = f"/api/v1/concepts/{concept.slug}/"
        return Response(body, status=code, headers=headers)

    @extend_schema(request=ConceptInput, responses={201: s.ConceptDetailSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Create a concept with its terms (draft, until it goes through review)."""
        given = ConceptInput(data=request.data)
        given.is_valid(raise_exception=True)
        entry = _entry(given.validated_data)
        entry.new = True
        return self._save(entry, request, 201)

    @extend_schema(
        request=ConceptInput,
        responses=s.ConceptDetailSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, True)],
    )
    def update(self, request: Request, *args, **kwargs) -> Response:
        """Replace a concept whole: terms, definitions and relations not sent go."""
        concept = self._concept(kwargs["slug"])
        partial = kwargs.get("partial", False)
        version = self._expected(request, concept)
        given = ConceptInput(data=request.data, partial=partial)
        given.is_valid(raise_exception=True)
        base = editing.entry_from_state(
            concept, editing.concept_state(concept), version=version
        )
        data = given.validated_data
        if not partial:
            # A PUT states the concept whole: lists it leaves out are emptied.
            data = {"definitions": [], "relations": [], **data}
        entry = _entry(data, base=base)
        entry.id, entry.version = concept.pk, version
        return self._save(entry, request, 200)

    @extend_schema(
        request=ConceptInput,
        responses=s.ConceptDetailSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, True)],
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        """Change the fields sent; a list sent (terms, definitions…) replaces it."""
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, True)],
        responses={204: None},
    )
    def destroy(self, request: Request, *args, **kwargs) -> Response:
        """Delete a concept; its last state stays in the history."""
        concept = self._concept(kwargs["slug"])
        self._expected(request, concept)
        editing.delete_concept(concept, origin=_origin(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=TermInput, responses={201: s.ConceptDetailSerializer})
    @action(detail=True, methods=["post"], url_path="terms")
    def add_term(self, request: Request, slug: str) -> Response:
        """Add one term to a concept in one request (If-Match optional)."""
        concept = self._concept(slug)
        version = (
            self._expected(request, concept)
            if request.headers.get("If-Match")
            else concept.version
        )
        given = TermInput(data=request.data)
        given.is_valid(raise_exception=True)
        entry = editing.entry_with_term(given.validated_data, concept=concept)
        entry.version = version
        try:
            return self._save(entry, request, 201)
        except ConceptRejected as error:
            # The new term is the entry's last: name its fields as the body does.
            prefix = f"terms[{len(entry.terms) - 1}]."
            field = error.field or ""
            if field.startswith(prefix):
                field = field[len(prefix) :]
            raise ConceptRejected(
                str(error), report=error.report, field=field
            ) from None

    @extend_schema(request=WorkflowInput, responses=s.ConceptDetailSerializer)
    @action(detail=True, methods=["post"])
    def workflow(self, request: Request, slug: str) -> Response:
        """Submit for review, approve, retire or return to draft, as the role allows."""
        concept = self._concept(slug)
        if request.headers.get("If-Match"):
            self._expected(request, concept)
        given = WorkflowInput(data=request.data)
        given.is_valid(raise_exception=True)
        concept = editing.transition(
            concept,
            given.validated_data["to"],
            origin=_origin(request),
            comment=given.validated_data["comment"],
        )
        concept = self.get_queryset().get(pk=concept.pk)
        body = s.ConceptDetailSerializer(concept, context={"request": request}).data
        return Response(body, headers={"ETag": _etag(concept)})
