"""Serializers: they shape data and validate query parameters, nothing more."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import languages, search
from ..errors import UnknownLanguage
from ..models import Concept, Quote, SourceDocument, Term


class LanguageField(serializers.CharField):
    """A language tag or alias, answered with its canonical tag."""

    def to_internal_value(self, data):
        try:
            return languages.resolve(super().to_internal_value(data))
        except UnknownLanguage as error:
            raise serializers.ValidationError(str(error)) from None


class LanguageListField(serializers.CharField):
    """A comma-separated list of language tags or aliases."""

    def to_internal_value(self, data):
        try:
            return languages.resolve_list(super().to_internal_value(data), field="to")
        except UnknownLanguage as error:
            raise serializers.ValidationError(str(error)) from None


class LanguageSerializer(serializers.Serializer):
    tag = serializers.CharField()
    names = serializers.DictField(
        child=serializers.CharField(),
        help_text="The language's name in each UI language (en, kk, zh-Hans, ru).",
    )
    core = serializers.BooleanField(
        help_text="Whether approved concepts must have a preferred term in it."
    )


# Plain serializers with declared fields, not ModelSerializers: they are built for
# every term of every response, and ModelSerializer introspects the model each time
# (a third of a lookup's time; see BENCHMARKS.md).
class TermSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=languages.choices())
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=Term.Status.choices)
    deprecated = serializers.SerializerMethodField(
        help_text="True for deprecated and superseded terms: do not use them."
    )
    term_type = serializers.ChoiceField(choices=Term.TermType.choices)
    part_of_speech = serializers.ChoiceField(
        choices=Term.PartOfSpeech.choices, allow_blank=True
    )
    romanization = serializers.CharField(help_text="Hanyu Pinyin for Chinese terms.")
    usage_note = serializers.CharField()
    source = serializers.CharField()

    def get_deprecated(self, term: Term) -> bool:
        return term.is_deprecated


CONCEPT_STATUS_HELP = "The concept's status: a draft is not reviewed yet."


class TermWithConceptSerializer(TermSerializer):
    concept = serializers.CharField(source="concept.slug", help_text="Concept slug.")
    concept_status = serializers.ChoiceField(
        source="concept.status",
        choices=Concept.Status.choices,
        help_text=CONCEPT_STATUS_HELP,
    )


class DefinitionSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=languages.choices())
    text = serializers.CharField()
    source = serializers.CharField()


class AttestedTermSerializer(serializers.Serializer):
    language = serializers.CharField()
    text = serializers.CharField()
    span = serializers.ListField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text="[start, end] of the term inside the excerpt (code points), "
        "or null when the excerpt has it in another form.",
    )


class AttestationSerializer(serializers.Serializer):
    """A quote with the terms of the concept it attests and where they stand in it."""

    document = serializers.CharField(source="quote.document.slug")
    excerpt = serializers.CharField(source="quote.excerpt")
    start = serializers.IntegerField(source="quote.start")
    end = serializers.IntegerField(source="quote.end")
    terms = serializers.SerializerMethodField()

    @extend_schema_field(AttestedTermSerializer(many=True))
    def get_terms(self, attestation: search.Attestation):
        return [
            {
                "language": term.language,
                "text": term.text,
                "span": list(span) if span else None,
            }
            for term, span in attestation.spans
        ]


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Term"},
        },
    }
)
class TermsByLanguageField(serializers.Field):
    """Terms grouped by language tag, preferred first."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, grouped):
        return {
            tag: TermSerializer(terms, many=True).data for tag, terms in grouped.items()
        }


class ConceptListSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="concept-detail", lookup_field="slug"
    )
    languages = serializers.SerializerMethodField(
        help_text="The languages the concept has terms in."
    )
    preferred = serializers.SerializerMethodField(
        help_text="The preferred term in each language."
    )

    class Meta:
        model = Concept
        fields = [
            "slug",
            "url",
            "kind",
            "domain",
            "status",
            "languages",
            "preferred",
            "updated",
        ]

    def get_languages(self, concept: Concept) -> list[str]:
        return list(search.terms_by_language(concept.terms.all()))

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_preferred(self, concept: Concept):
        return {
            term.language: term.text
            for term in concept.terms.all()
            if term.status == Term.Status.PREFERRED
        }


class RelationSerializer(serializers.Serializer):
    kind = serializers.CharField()
    target = serializers.CharField(source="target.slug")


class ConceptDetailSerializer(serializers.ModelSerializer):
    terms = serializers.SerializerMethodField(
        help_text="Terms by language tag, preferred first."
    )
    definitions = DefinitionSerializer(many=True, read_only=True)
    quotes = serializers.SerializerMethodField()
    relations = RelationSerializer(many=True, read_only=True)

    class Meta:
        model = Concept
        fields = [
            "slug",
            "kind",
            "domain",
            "status",
            "visibility",
            "note",
            "version",
            "created",
            "updated",
            "terms",
            "definitions",
            "quotes",
            "relations",
        ]

    @extend_schema_field(TermsByLanguageField)
    def get_terms(self, concept: Concept):
        grouped = search.terms_by_language(concept.terms.all())
        return TermsByLanguageField().to_representation(grouped)

    @extend_schema_field(AttestationSerializer(many=True))
    def get_quotes(self, concept: Concept):
        return AttestationSerializer(
            search.attestations(concept.terms.all()), many=True
        ).data


class DocumentListSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="document-detail", lookup_field="slug"
    )

    class Meta:
        model = SourceDocument
        fields = [
            "slug",
            "url",
            "title",
            "speaker",
            "publisher",
            "published",
            "language",
            "original_language",
            "citation",
        ]


class QuoteSerializer(serializers.ModelSerializer):
    document = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    terms = TermWithConceptSerializer(many=True, read_only=True)

    class Meta:
        model = Quote
        fields = ["id", "document", "excerpt", "start", "end", "terms"]


class DocumentDetailSerializer(DocumentListSerializer):
    quotes = QuoteSerializer(many=True, read_only=True)

    class Meta(DocumentListSerializer.Meta):
        fields = [*DocumentListSerializer.Meta.fields, "text", "quotes"]


MATCH_HELP = (
    "exact (default): the same term in any case, punctuation, script (Qorgas = "
    "Қорғас, 霍爾果斯 = huoerguosi = 霍尔果斯), diacritics or inflection "
    "(Шанхайской организации сотрудничества); prefix and contains: the key starts "
    "with or contains the query's; fuzzy: close spellings (Khorgas), best first, "
    "with a score."
)


class ScoredTermSerializer(TermWithConceptSerializer):
    score = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="How close the term is to q, 0–100, for match=fuzzy; else null.",
    )


class TermSearchParams(serializers.Serializer):
    q = serializers.CharField(help_text="The text to search for.")
    lang = LanguageField(required=False, help_text="Only terms in this language.")
    match = serializers.ChoiceField(
        choices=search.MATCH_MODES, default="exact", help_text=MATCH_HELP
    )


class LookupParams(serializers.Serializer):
    q = serializers.CharField(help_text="The term to look up, e.g. Khorgos.")
    # `from` is a Python keyword, so the field is declared under another name.
    source = LanguageField(default="en", help_text="The language of q (default en).")
    to = LanguageListField(
        required=False,
        help_text="Comma-separated target languages, e.g. zh-Hans,ru (default: all).",
    )
    match = serializers.ChoiceField(
        choices=search.MATCH_MODES, default="exact", help_text=MATCH_HELP
    )

    def to_internal_value(self, data):
        data = data.copy()
        if "from" in data:
            data["source"] = data["from"]
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            if "source" in error.detail:
                error.detail["from"] = error.detail.pop("source")
            raise


class LookupResultSerializer(serializers.Serializer):
    concept = serializers.CharField(source="concept.slug")
    kind = serializers.CharField(source="concept.kind")
    status = serializers.CharField(source="concept.status")
    matched = TermSerializer(
        many=True, help_text="The source-language terms that matched."
    )
    deprecated = serializers.SerializerMethodField(
        help_text="True when every matched term is deprecated or superseded."
    )
    use_instead = TermSerializer(
        many=True,
        help_text="The preferred source-language term, when the query is deprecated.",
    )
    translations = TermsByLanguageField()
    definitions = DefinitionSerializer(many=True, source="concept.definitions.all")
    quotes = AttestationSerializer(many=True)
    score = serializers.FloatField(
        allow_null=True,
        help_text="How close the closest matched term is, 0–100, for match=fuzzy; "
        "else null.",
    )

    def get_deprecated(self, result: search.LookupResult) -> bool:
        return bool(result.use_instead) or all(
            term.is_deprecated for term in result.matched
        )


class LookupResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    source = serializers.CharField()
    targets = serializers.ListField(child=serializers.CharField())
    count = serializers.IntegerField()
    results = LookupResultSerializer(many=True)


class ChangeSerializer(serializers.Serializer):
    subject = serializers.CharField(help_text="What changes, e.g. a term's status.")
    old = serializers.CharField(allow_blank=True)
    new = serializers.CharField(allow_blank=True)


class ConceptVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="number")
    date = serializers.DateTimeField()
    user = serializers.CharField(
        source="user.username", allow_null=True, help_text="Who made the change."
    )
    via = serializers.CharField(
        help_text="The path of the change: admin, api, import, seed or revert."
    )
    detail = serializers.CharField(
        help_text="The file an import read, or the version a revert restored."
    )
    comment = serializers.CharField()
    changes = ChangeSerializer(
        many=True, help_text="What this version changed from the one before."
    )
