"""Lookup and search queries over concepts and terms, shared by API and admin.

A query is compared with every key a term stores (see `normalize`): the search key
(case, punctuation), the loose key (script, diacritics, unofficial spellings: Qorgas
finds Қорғас), the pinyin key (huoerguosi finds 霍尔果斯) and, for `exact`, the match
key (inflection: Шанхайской организации сотрудничества finds the SCO).

Every selector made for a reader takes `visible` (see `visibility`) and builds its
querysets with it, so what a reader may not see is never found, not even in part.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connections
from django.db.models import (
    Case,
    Exists,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Greatest, Length
from rapidfuzz import fuzz

from . import languages, matching, normalize
from .errors import InvalidQuery
from .models import Concept, ConceptRelation, Quote, SourceDocument, Term
from .visibility import PUBLIC, Visible

MATCH_MODES = ("exact", "prefix", "contains", "fuzzy")
# Longer than any term: a longer query is a mistake, and would only cost key building.
MAX_QUERY_LENGTH = 300

# Fuzzy matching: candidates come from an index-backed prefilter (trigram similarity on
# PostgreSQL, a length window and shared trigrams counted in SQL on SQLite), never from
# a scan in Python; rapidfuzz then scores at most FUZZY_CANDIDATES of them.
FUZZY_CANDIDATES = 200
FUZZY_CUTOFF = 70.0  # rapidfuzz ratio (0–100) a term must reach to be returned
FUZZY_LIMIT = 50  # results at most, best first
_NGRAMS = 12  # trigrams of the query the SQLite prefilter counts, at most


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
    if len(query or "") > MAX_QUERY_LENGTH:
        raise InvalidQuery(
            f"The search text is {len(query):,} characters; give at most "
            f"{MAX_QUERY_LENGTH} (a term, not a passage: annotate/ takes texts).",
            field=field,
        )
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


@dataclass(frozen=True)
class QueryKeys:
    """A query's keys, one for each kind of key a term stores."""

    text: str
    search: str
    loose: str
    compact: str  # the loose key without spaces, compared with pinyin keys

    def condition(self, match: str, *, tags: tuple[str, ...] | None = None) -> Q:
        """Terms (in `tags` if given) whose keys equal, start with or contain a query.

        `exact` also compares match keys, in the query's language when `tags` are one
        language's (else in each), so inflected forms find their terms. The language
        goes into every branch of the OR, so each branch can use its own index (SQLite
        otherwise scans every term of the language).
        """
        in_tags = Q(language__in=tags) if tags is not None else Q()
        condition = (
            (in_tags & _key_matches("search_key", self.search, match))
            | (in_tags & _key_matches("loose_key", self.loose, match))
            | (in_tags & _key_matches("pinyin_key", self.compact, match))
        )
        if match == "exact":
            for family in _families(tags):
                keys = normalize.query_match_keys(self.text, family[0])
                condition |= in_tags & Q(language__in=family, match_key__in=keys)
        return condition


def _key_matches(field: str, value: str, match: str) -> Q:
    """A key field equal to, starting with or containing a value."""
    if match == "exact":
        return Q(**{field: value})
    if match == "contains":
        return Q(**{f"{field}__contains": value})
    starts = Q(**{f"{field}__startswith": value})
    if value and connections[Term.objects.db].vendor == "sqlite":
        # SQLite's LIKE is case-insensitive and so never uses an index; the range of
        # keys from the prefix up to its successor does, and LIKE then only checks it.
        # (PostgreSQL serves LIKE 'x%' from the keys' trigram indexes.)
        successor = value[:-1] + chr(ord(value[-1]) + 1)
        starts &= Q(**{f"{field}__gte": value, f"{field}__lt": successor})
    return starts


def _families(tags: tuple[str, ...] | None) -> list[tuple[str, ...]]:
    """The languages among `tags` (all when None), each with its scripts."""
    families = []
    for tag in tags if tags is not None else languages.TAGS:
        family = normalize.comparable_languages(tag)
        if family not in families:
            families.append(family)
    return families


def query_keys(query: str, *, field: str = "q") -> QueryKeys:
    """The keys of a query, or an error when it has nothing to search for."""
    key = query_key(query, field=field)
    return QueryKeys(
        text=query,
        search=key,
        loose=normalize.loose_key(query),
        compact=normalize.compact_key(query),
    )


def _check_match(match: str) -> None:
    if match not in MATCH_MODES:
        raise InvalidQuery(
            f"Unknown match {match!r}; use one of {', '.join(MATCH_MODES)}.",
            field="match",
        )


def _fuzzy_candidates(terms: QuerySet[Term], keys: QueryKeys) -> QuerySet[Term]:
    """The terms worth scoring, found by an index or in SQL, most similar first."""
    if connections[terms.db].vendor == "postgresql":
        # `%` (pg_trgm.similarity_threshold, 0.3 by default) uses the GIN indexes.
        similar = Q(loose_key__trigram_similar=keys.loose) | Q(
            pinyin_key__trigram_similar=keys.compact
        )
        similarity = Greatest(
            TrigramSimilarity("loose_key", keys.loose),
            TrigramSimilarity("pinyin_key", keys.compact),
        )
        return (
            terms.filter(similar).alias(similarity=similarity).order_by("-similarity")
        )
    # SQLite has no trigram index: a length window, then the query's trigrams counted
    # in SQL, a scan in C rather than in Python.
    size, compact_size = len(keys.loose), len(keys.compact)
    near_length = Q(loose_length__gte=size * 0.6, loose_length__lte=size * 1.7 + 2) | Q(
        pinyin_length__gte=compact_size * 0.6, pinyin_length__lte=compact_size * 1.7
    )
    shared = Value(0)
    for key_field, gram in [
        *(("loose_key", gram) for gram in _trigrams(keys.loose)),
        *(("pinyin_key", gram) for gram in _trigrams(keys.compact)),
    ]:
        shared += Case(
            When(**{f"{key_field}__contains": gram}, then=1),
            default=0,
            output_field=IntegerField(),
        )
    needed = max(1, round(len(_trigrams(keys.loose)) * 0.3))
    return (
        terms.alias(
            loose_length=Length("loose_key"), pinyin_length=Length("pinyin_key")
        )
        .filter(near_length)
        .alias(shared=shared)
        .filter(shared__gte=needed)
        .order_by("-shared")
    )


def _trigrams(key: str) -> list[str]:
    """Up to _NGRAMS trigrams of a key's words, spread over the key."""
    grams = []
    for word in key.split():
        grams.extend(
            dict.fromkeys(word[i : i + 3] for i in range(max(1, len(word) - 2)))
        )
    step = max(1, len(grams) // _NGRAMS)
    return grams[::step][:_NGRAMS]


def _fuzzy_scores(
    terms: QuerySet[Term], keys: QueryKeys
) -> dict[int, tuple[int, float]]:
    """Term id → (concept id, score) for the terms close to a query, best first.

    The score is rapidfuzz's ratio (0–100) of the query's loose key to the term's, or
    of its compact key to the term's pinyin key when that is closer.
    """
    candidates = _fuzzy_candidates(terms, keys).values_list(
        "pk", "concept_id", "loose_key", "pinyin_key"
    )[:FUZZY_CANDIDATES]
    scored = []
    for pk, concept_id, loose, pinyin in candidates:
        score = fuzz.ratio(keys.loose, loose)
        if pinyin:
            score = max(score, fuzz.ratio(keys.compact, pinyin))
        if score >= FUZZY_CUTOFF:
            scored.append((round(score, 1), pk, concept_id))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return {pk: (concept_id, score) for score, pk, concept_id in scored[:FUZZY_LIMIT]}


def search_terms(
    query: str,
    *,
    language: str | None = None,
    match: str = "exact",
    visible: Visible = PUBLIC,
) -> QuerySet[Term]:
    """Terms whose keys equal, start with or contain the query's, or are close to it.

    Each term is annotated with `score`: how close it is (0–100) for `fuzzy`, else
    None. Fuzzy results come best first. Only terms of concepts `visible` shows.
    """
    _check_match(match)
    keys = query_keys(query)
    terms = visible.terms()
    tags = None if language is None else (languages.resolve(language),)
    order = ["search_key", "language", "status_rank", "text", "pk"]
    if match == "fuzzy":
        in_language = terms if tags is None else terms.filter(language__in=tags)
        scores = _fuzzy_scores(in_language, keys)
        score = Case(
            *(When(pk=pk, then=Value(score)) for pk, (_, score) in scores.items()),
            default=None,
            output_field=FloatField(),
        )
        terms = terms.filter(pk__in=scores).annotate(score=score)
        order.insert(0, "-score")
    else:
        terms = terms.filter(keys.condition(match, tags=tags)).annotate(
            score=Value(None, output_field=FloatField())
        )
    return (
        terms.select_related("concept").alias(status_rank=_STATUS_RANK).order_by(*order)
    )


def concepts_with_term_matching(
    concepts: QuerySet[Concept], query: str
) -> QuerySet[Concept]:
    """Concepts that have a term, in any language or script, containing the query."""
    condition = query_keys(query).condition("contains")
    matching_terms = Term.objects.filter(condition, concept=OuterRef("pk"))
    return concepts.filter(Exists(matching_terms))


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


def concepts_with_deprecated_terms(concepts: QuerySet[Concept]) -> QuerySet[Concept]:
    """Those of the concepts that record a deprecated or superseded term."""
    deprecated = [Term.Status.DEPRECATED, Term.Status.SUPERSEDED]
    return concepts.filter(
        pk__in=Term.objects.filter(status__in=deprecated).values("concept")
    )


def concepts_for_display(
    concepts: QuerySet[Concept] | None = None,
) -> QuerySet[Concept]:
    """The concepts (all by default) with terms, quotes and definitions prefetched:
    a fixed query count."""
    quotes = Quote.objects.select_related("document").defer("document__text")
    terms = ordered_terms().prefetch_related(Prefetch("quotes", queryset=quotes))
    concepts = Concept.objects.all() if concepts is None else concepts
    return concepts.prefetch_related(Prefetch("terms", queryset=terms), "definitions")


def concept_details(visible: Visible) -> QuerySet[Concept]:
    """The concepts a reader may see, prefetched for display with their relations to
    concepts they may see too."""
    relations = ConceptRelation.objects.filter(
        visible.condition("target__")
    ).select_related("target")
    return concepts_for_display(visible.concepts()).prefetch_related(
        Prefetch("relations", queryset=relations)
    )


def visible_quotes(visible: Visible) -> QuerySet[Quote]:
    """The quotes a reader may see, each with only the terms it attests they may see.

    A quote that attests terms, none of them shown to the reader, is left out.
    """
    attested = Quote.terms.through.objects.filter(quote=OuterRef("pk"))
    shown = attested.filter(visible.condition("term__concept__"))
    terms = visible.terms().select_related("concept")
    return (
        Quote.objects.exclude(Q(Exists(attested)) & ~Q(Exists(shown)))
        .select_related("document")
        .defer("document__text")
        .prefetch_related(Prefetch("terms", queryset=terms))
    )


def quotes_attesting(
    quotes: QuerySet[Quote],
    *,
    visible: Visible,
    concept: str | None = None,
    language: str | None = None,
) -> QuerySet[Quote]:
    """Those of the quotes attesting a term the reader may see, of a concept (by
    slug) and in a language if given."""
    terms = visible.terms()
    if concept is not None:
        terms = terms.filter(concept__slug=concept)
    if language is not None:
        terms = terms.filter(language=language)
    attesting = Quote.terms.through.objects.filter(quote=OuterRef("pk"), term__in=terms)
    return quotes.filter(Exists(attesting))


def document_details(visible: Visible) -> QuerySet[SourceDocument]:
    """Documents with the quotes from them a reader may see, prefetched."""
    quotes = visible_quotes(visible)
    return SourceDocument.objects.prefetch_related(Prefetch("quotes", queryset=quotes))


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
    score: float | None = None  # how close the closest matched term is, for fuzzy


def lookup(
    query: str,
    *,
    source_language: str,
    target_languages: list[str] | None = None,
    match: str = "exact",
    visible: Visible = PUBLIC,
) -> list[LookupResult]:
    """Concepts whose term in the source language matches the query.

    The source language counts in all its scripts (kk with kk-Latn, zh-Hans with
    zh-Hant). `exact` ignores case, punctuation, script, diacritics and inflection
    (Xi’an = Xi'an, Qorgas = Қорғас, 霍爾果斯 = huoerguosi = 霍尔果斯); when no term
    matches the whole query, the terms the query contains count, so a phrase pasted
    from a text finds its concept ("в Хоргосе"). `fuzzy` finds close spellings, best
    first. Each result carries the concept's terms in the target languages (all other
    languages when none are given), preferred first; when every matched term is
    deprecated or superseded, the preferred term of its language to use instead.
    Only concepts `visible` shows are found, so a hidden term never stands in the way
    of a shown one.
    """
    _check_match(match)
    keys = query_keys(query)
    source = languages.resolve(source_language)
    family = normalize.comparable_languages(source)
    targets = matching.target_languages(source, target_languages or None)
    shown = visible.terms()
    if match == "fuzzy":
        found = _fuzzy_scores(shown.filter(language__in=family), keys)
    else:
        rows = shown.filter(keys.condition(match, tags=family)).order_by()
        found = {
            pk: (concept, None) for pk, concept in rows.values_list("pk", "concept_id")
        }
        if not found and match == "exact":
            found = {
                hit.term_id: (hit.concept_id, None)
                for hit in matching.spans(query, language=source, visible=visible)
            }
    concept_ids = {concept_id for concept_id, _ in found.values()}
    concepts = (
        concepts_for_display(visible.concepts())
        .filter(pk__in=concept_ids)
        .order_by("slug")
    )
    results = []
    for concept in concepts:
        terms = list(concept.terms.all())
        matched = [t for t in terms if t.pk in found]
        scores = [found[t.pk][1] for t in matched if found[t.pk][1] is not None]
        use_instead = []
        if all(t.is_deprecated for t in matched):
            tags = {t.language for t in matched}
            use_instead = [
                t
                for t in terms
                if t.language in tags and t.status == Term.Status.PREFERRED
            ]
        results.append(
            LookupResult(
                concept=concept,
                matched=matched,
                translations=terms_by_language(terms, only=targets),
                use_instead=use_instead,
                quotes=attestations(terms),
                score=max(scores, default=None),
            )
        )
    if match == "fuzzy":
        results.sort(key=lambda result: -result.score)
    return results
