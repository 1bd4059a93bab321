"""Text endpoints: annotate a text with its glossary terms, check a translation."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import languages, matching, qa, visibility
from ..errors import UnknownLanguage
from ..models import Concept
from .serializers import CONCEPT_STATUS_HELP, LanguageField, TermSerializer

_TEXT_HELP = (
    "Plain text, up to GLOSSARY_MAX_TEXT_BYTES (1 MiB by default) in UTF-8; larger "
    "texts are answered 413. Offsets in the answer are code points into it."
)


@extend_schema_field(
    {"type": "array", "items": {"type": "string"}, "example": ["zh-Hans", "ru"]}
)
class LanguageTagsField(serializers.Field):
    """A list of language tags or aliases (or one comma-separated string of them)."""

    def to_internal_value(self, data):
        if isinstance(data, list) and all(isinstance(item, str) for item in data):
            data = ",".join(data)
        if not isinstance(data, str):
            raise serializers.ValidationError("Give a list of language tags.")
        try:
            return languages.resolve_list(data, field=self.field_name)
        except UnknownLanguage as error:
            raise serializers.ValidationError(str(error)) from None

    def to_representation(self, value):
        return list(value)


class AnnotateRequestSerializer(serializers.Serializer):
    # Whitespace is kept: trimming it would shift every offset.
    text = serializers.CharField(trim_whitespace=False, help_text=_TEXT_HELP)
    language = LanguageField(help_text="The language of the text, e.g. en or ru-RU.")
    targets = LanguageTagsField(
        required=False,
        help_text="Languages to give each term's preferred rendering in "
        "(default: every other language).",
    )


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"$ref": "#/components/schemas/Term"},
        "description": "The concept's preferred term in each target language.",
    }
)
class PreferredTermsField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, terms):
        return {tag: TermSerializer(term).data for tag, term in terms.items()}


class TermHitSerializer(serializers.Serializer):
    start = serializers.IntegerField(help_text="Offset of the first code point.")
    end = serializers.IntegerField(help_text="Offset just past the last code point.")
    text = serializers.CharField(help_text="text[start:end]: the term as written.")
    concept = serializers.CharField(source="term.concept.slug")
    concept_status = serializers.ChoiceField(
        source="term.concept.status",
        choices=Concept.Status.choices,
        help_text=CONCEPT_STATUS_HELP,
    )
    term = TermSerializer(help_text="The glossary term found.")
    deprecated = serializers.BooleanField(
        help_text="True for a deprecated or superseded term: replace it."
    )
    use_instead = TermSerializer(
        allow_null=True,
        help_text="For a deprecated term: the preferred term of its language.",
    )
    translations = PreferredTermsField()


class AnnotateResponseSerializer(serializers.Serializer):
    language = serializers.CharField()
    targets = serializers.ListField(child=serializers.CharField())
    count = serializers.IntegerField()
    results = TermHitSerializer(many=True)


class AnnotateView(APIView):
    """POST a text and its language; get back every glossary term found in it.

    Longest leftmost matches without overlaps, whole words in space-delimited
    scripts, any characters in Chinese, inflected forms in Russian and Kazakh.
    """

    permission_classes = [AllowAny]  # reads only, like GET
    throttle_scope = "text"

    @extend_schema(
        request=AnnotateRequestSerializer, responses=AnnotateResponseSerializer
    )
    def post(self, request: Request) -> Response:
        given = AnnotateRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        params = given.validated_data
        hits = matching.find_terms(**params, visible=visibility.for_user(request.user))
        body = {
            "language": params["language"],
            "targets": matching.target_languages(
                params["language"], params.get("targets")
            ),
            "count": len(hits),
            "results": hits,
        }
        return Response(AnnotateResponseSerializer(body).data)


class CheckRequestSerializer(serializers.Serializer):
    source_text = serializers.CharField(trim_whitespace=False, help_text=_TEXT_HELP)
    target_text = serializers.CharField(
        trim_whitespace=False, help_text="The translation of source_text."
    )
    source_language = LanguageField(help_text="The language of source_text.")
    target_language = LanguageField(help_text="The language of target_text.")


class SpanSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.CharField()


class FindingSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=qa.FindingKind.choices,
        help_text="missing: the translation lacks the concept's preferred term; "
        "deprecated: it uses a deprecated or superseded term.",
    )
    concept = serializers.CharField(source="concept.slug")
    concept_status = serializers.ChoiceField(
        source="concept.status",
        choices=Concept.Status.choices,
        help_text=CONCEPT_STATUS_HELP,
    )
    message = serializers.CharField()
    term = TermSerializer(
        help_text="missing: the source term; deprecated: the term the translation uses."
    )
    expected = TermSerializer(
        allow_null=True, help_text="The preferred term of the target language."
    )
    source = SpanSerializer(many=True, help_text="Where the concept is in the source.")
    target = SpanSerializer(
        many=True, help_text="Where the deprecated term is in the translation."
    )


class CheckResponseSerializer(serializers.Serializer):
    source_language = serializers.CharField()
    target_language = serializers.CharField()
    count = serializers.IntegerField()
    findings = FindingSerializer(many=True)


class CheckView(APIView):
    """POST a text and its translation; get back the terminology issues found."""

    permission_classes = [AllowAny]  # reads only, like GET
    throttle_scope = "text"

    @extend_schema(request=CheckRequestSerializer, responses=CheckResponseSerializer)
    def post(self, request: Request) -> Response:
        given = CheckRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        findings = qa.check_translation(
            **given.validated_data, visible=visibility.for_user(request.user)
        )
        body = {
            "source_language": given.validated_data["source_language"],
            "target_language": given.validated_data["target_language"],
            "count": len(findings),
            "findings": findings,
        }
        return Response(CheckResponseSerializer(body).data)
