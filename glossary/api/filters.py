"""Query-parameter filters of the list endpoints (django-filter)."""

import django_filters
from django import forms

from .. import languages, search, visibility
from ..errors import GlossaryError
from ..models import Concept, Quote


class LanguageFormField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return languages.resolve(value)
        except GlossaryError as error:
            # A form error's message is a %-format string (django-filter formats it
            # with its params): the echoed value goes in as a param, never as format.
            raise forms.ValidationError(
                "%(error)s", params={"error": str(error)}
            ) from None


class LanguageFilter(django_filters.CharFilter):
    field_class = LanguageFormField


class ConceptFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label="Concepts with a term (any language) containing this."
    )
    lang = LanguageFilter(
        method="filter_lang", label="Concepts with a term in this language."
    )
    missing = LanguageFilter(
        method="filter_missing",
        label="Concepts without a preferred term in this language.",
    )
    kind = django_filters.ChoiceFilter(choices=Concept.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Concept.Status.choices)
    # Bounded: SQLite refuses a LIKE pattern (iexact) over 50,000 characters.
    domain = django_filters.CharFilter(
        lookup_expr="iexact", max_length=Concept._meta.get_field("domain").max_length
    )

    class Meta:
        model = Concept
        fields = ["q", "lang", "missing", "kind", "status", "domain"]

    def filter_q(self, concepts, name, value):
        try:
            return search.concepts_with_term_matching(concepts, value)
        except GlossaryError as error:
            error.field = name
            raise

    def filter_lang(self, concepts, name, value):
        return search.concepts_with_language(concepts, value)

    def filter_missing(self, concepts, name, value):
        return search.concepts_missing_language(concepts, value)


class QuoteFilter(django_filters.FilterSet):
    document = django_filters.CharFilter(field_name="document__slug")
    # Through the terms the reader may see, so a hidden one never selects a quote.
    concept = django_filters.CharFilter(
        method="filter_concept", label="Quotes attesting a term of this concept."
    )
    lang = LanguageFilter(
        method="filter_lang", label="Quotes attesting a term in this language."
    )

    class Meta:
        model = Quote
        fields = ["document", "concept", "lang"]

    def filter_concept(self, quotes, name, value):
        visible = visibility.for_user(self.request.user)
        return search.quotes_attesting(quotes, visible=visible, concept=value)

    def filter_lang(self, quotes, name, value):
        visible = visibility.for_user(self.request.user)
        return search.quotes_attesting(quotes, visible=visible, language=value)
