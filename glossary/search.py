"""Lookup and search queries over concepts and terms, shared by API and admin."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Value,
    When,
)

from . import languages, normalize
from .errors import InvalidQuery
from .models import Concept, Quote, Term

MATCH_MODES = ("exact", "prefix", "contains")

# Preferred first, deprecated last: the order a translator reads terms in.
STATUS_ORDER = (
    Term.Status.PREFERRED,
    Term.Status.ADMITTED,
    Term.Status.SUPERSEDED,
    Term.Status.DEPRECATED,
)
_STATUS_RANK = Case(
    *(
        When(status=status, then=Value(rank))
        for rank, status in enumerate(STATUS_ORDER)
    ),
    output_field=IntegerField(),
)


def query_key(query: str, *, field: str = "q") -> str:
    """The search key of a query, or an error when it has nothing to search for."""
    key = normalize.search_key(query or "")
    if not key:
        raise InvalidQuery(
            "Give a search text with at least one letter or digit.", field=field
        )
    return key


def ordered_terms() -> QuerySet[Term]:
    """Terms in reading order: by language, preferred first, then alphabetically."""
    return Term.objects.alias(status_rank=_STATUS_RANK).order_by(
        "language", "status_rank", "text"
    )


def search_terms(
    query: str, *, language: str | None = None, match: str = "exact"
) -> QuerySet[Term]:
    """Terms whose search key equals, starts with or contains the query's key."""
    if match not in MATCH_MODES:
        raise InvalidQuery(
            f"Unknown match {match!r}; use one of {', '.join(MATCH_MODES)}.",
            field="match",
        )
    key = query_key(query)
    terms = Term.objects.filter(**{_KEY_LOOKUPS[match]: key})
    if language is not None:
        terms = terms.filter(language=languages.resolve(language))
    return (
        terms.select_related("concept")
        .alias(status_rank=_STATUS_RANK)
        .order_by("search_key", "language", "status_rank", "text", "pk")
    )


_KEY_LOOKUPS = {
    "exact": "search_key",
    "prefix": "search_key__startswith",
    "contains": "search_key__contains",
}


def concepts_with_term_matching(
    concepts: QuerySet[Concept], query: str
) -> QuerySet[Concept]:
    """Concepts that have a term, in any language or script, containing the query."""
    key = query_key(query)
    matching = Term.objects.filter(concept=OuterRef("pk"), search_key__contains=key)
    return concepts.filter(Exists(matching))


def concepts_with_language(
    concepts: QuerySet[Concept], language: str
) -> QuerySet[Concept]:
    """Concepts that have at least one term in a language."""
    tag = languages.resolve(language)
    return concepts.filter(
        Exists(Term.objects.filter(concept=OuterRef("pk"), language=tag))
    )


def concepts_missing_language(
    concepts: QuerySet[Concept], language: str
) -> QuerySet[Concept]:
    """Concepts that have no preferred term in a language yet."""
    tag = languages.resolve(language)
    preferred = Term.objects.filter(
        concept=OuterRef("pk"), language=tag, status=Term.Status.PREFERRED
    )
    return concepts.filter(~Exists(preferred))


def concepts_for_display() -> QuerySet[Concept]:
    """Concepts with terms, quotes and definitions prefetched: a fixed query count."""
    quotes = Quote.objects.select_related("document").defer("document__text")
    terms = ordered_terms().prefetch_related(Prefetch("quotes", queryset=quotes))
    return Concept.objects.prefetch_related(
        Prefetch("terms", queryset=terms), "definitions"
    )


@dataclass
class Attestation:
    """A quote with the terms of one concept it attests and where each stands in it."""

    quote: Quote
    spans: list[tuple[Term, tuple[int, int] | None]]


def attestations(terms) -> list[Attestation]:
    """The quotes attesting these terms (with `quotes` prefetched), in text order."""
    by_quote: dict[int, Attestation] = {}
    for term in terms:
        for quote in term.quotes.all():
            attestation = by_quote.setdefault(quote.pk, Attestation(quote, []))
            span = normalize.find_span(quote.excerpt, term.text)
            attestation.spans.append((term, span))
    return sorted(
        by_quote.values(), key=lambda a: (a.quote.document.slug, a.quote.start)
    )


def terms_by_language(terms, *, only: list[str] | None = None) -> dict[str, list[Term]]:
    """Group terms (already in reading order) by language, in registry order."""
    grouped: dict[str, list[Term]] = defaultdict(list)
    for term in terms:
        if only is None or term.language in only:
            grouped[term.language].append(term)
    order = only if only is not None else languages.TAGS
    return {tag: grouped[tag] for tag in order if grouped.get(tag)}


@dataclass
class LookupResult:
    """One concept found by a lookup, with what a translator needs from it."""

    concept: Concept
    matched: list[Term]
    translations: dict[str, list[Term]]
    use_instead: list[Term] = field(default_factory=list)
    quotes: list[Attestation] = field(default_factory=list)


def lookup(
    query: str, *, source_language: str, target_languages: list[str] | None = None
) -> list[LookupResult]:
    """Concepts whose term in the source language matches the query.

    Matching ignores case, punctuation and typographic variants ("Xi’an" = "Xi'an").
    Each result carries the concept's terms in the target languages (all other
    languages when none are given), preferred first; when the matched term is
    deprecated or superseded, the preferred source-language term to use instead.
    """
    key = query_key(query)
    source = languages.resolve(source_language)
    targets = (
        [tag for tag in languages.TAGS if tag != source]
        if not target_languages
        else [languages.resolve(tag) for tag in target_languages]
    )
    matching = Term.objects.filter(
        concept=OuterRef("pk"), language=source, search_key=key
    )
    concepts = concepts_for_display().filter(Exists(matching)).order_by("slug")
    results = []
    for concept in concepts:
        terms = list(concept.terms.all())
        matched = [t for t in terms if t.language == source and t.search_key == key]
        use_instead = []
        if all(
            t.status in (Term.Status.DEPRECATED, Term.Status.SUPERSEDED)
            for t in matched
        ):
            use_instead = [
                t
                for t in terms
                if t.language == source and t.status == Term.Status.PREFERRED
            ]
        results.append(
            LookupResult(
                concept=concept,
                matched=matched,
                translations=terms_by_language(terms, only=targets),
                use_instead=use_instead,
                quotes=attestations(terms),
            )
        )
    return results
