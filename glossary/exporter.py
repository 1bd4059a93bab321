"""Exports: the concepts a filter selects, streamed as TBX, TMX, CSV or TSV.

The writers in `formats/` take plain entries; this module reads them for the selection
in chunks (terms, and for TBX definitions, quotes and relations), so the number of
queries grows with the number of chunks only and memory stays flat.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from . import languages, search
from .entries import read_entries
from .errors import InvalidQuery, NotFound, UnknownFormat, UnknownLanguage
from .formats import tabular, tbx, tmx
from .models import Concept, ConceptRelation, Term
from .visibility import PUBLIC, Visible


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    extension: str
    content_type: str
    includes: tuple[str, ...] = ()  # the values `include` may take


FORMATS = {
    fmt.name: fmt
    for fmt in (
        Format("tbx", "TBX-Basic v3 (ISO 30042:2019)", "tbx", "application/x-tbx+xml"),
        Format(
            "tbx2",
            "TBX v2 (martif), for tools that read no TBX v3",
            "tbx",
            "application/x-tbx+xml",
        ),
        Format(
            "tmx",
            "TMX 1.4b translation memory",
            "tmx",
            "application/x-tmx+xml",
            includes=("admitted",),
        ),
        Format(
            "csv",
            "CSV, one row of preferred terms per concept",
            "csv",
            "text/csv; charset=utf-8",
            includes=("id",),
        ),
        Format(
            "tsv",
            "TSV, one row of preferred terms per concept",
            "tsv",
            "text/tab-separated-values; charset=utf-8",
            includes=("id",),
        ),
    )
}


@dataclass
class Export:
    """A download: its chunks (produced as they are read) and how to name it."""

    chunks: Iterator[bytes]
    filename: str
    content_type: str
    concepts: QuerySet[Concept]  # the selection, for counting it


def select_concepts(
    *,
    slugs: list[str] | None = None,
    language: str | None = None,
    kind: str | None = None,
    domain: str | None = None,
    status: str | None = None,
    query: str | None = None,
    missing: str | None = None,
    visible: Visible = PUBLIC,
) -> QuerySet[Concept]:
    """Concepts `visible` shows by slug, language of a term, kind, domain (any case)
    and status.

    As concepts/ filters: `query` keeps concepts with a term containing it in any
    script, `missing` those without a preferred term in that language. A slug of a
    concept the reader may not see is unknown, as one of no concept is.
    """
    concepts = visible.concepts()
    if query:
        concepts = search.concepts_with_term_matching(concepts, query)
    if missing:
        concepts = search.concepts_missing_language(concepts, missing)
    if slugs:
        found = set(
            visible.concepts().filter(slug__in=slugs).values_list("slug", flat=True)
        )
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise NotFound(
                f"No concept has the slug(s) {', '.join(map(repr, unknown))}.",
                field="concept",
            )
        concepts = concepts.filter(slug__in=slugs)
    if language:
        concepts = search.concepts_with_language(concepts, language)
    for name, value, choices in (
        ("kind", kind, Concept.Kind),
        ("status", status, Concept.Status),
    ):
        if value and value not in choices.values:
            raise InvalidQuery(
                f"Unknown {name} {value!r}; use one of {', '.join(choices.values)}.",
                field=name,
            )
    if kind:
        concepts = concepts.filter(kind=kind)
    if status:
        concepts = concepts.filter(status=status)
    if domain:
        concepts = concepts.filter(domain__iexact=domain)
    return concepts


def export_glossary(
    file_format: str,
    concepts: QuerySet[Concept] | None = None,
    *,
    include: list[str] | None = None,
    srclang: str | None = None,
    source: str | None = None,
    target: str | None = None,
) -> Export:
    """The concepts (all by default) as a download in a format.

    `include` adds admitted terms (tmx) or an id column (csv, tsv); `srclang` is TMX's
    source language (default en); `source` and `target` ask CSV or TSV for the
    two-column form of that language pair. Everything is checked before the first
    byte is produced, so a download never breaks off with an error.
    """
    fmt = FORMATS.get(file_format)
    if fmt is None:
        raise UnknownFormat(
            f"Unknown format {file_format!r}; use one of {', '.join(FORMATS)}.",
            field="format",
        )
    include = include or []
    for value in include:
        if value not in fmt.includes:
            allowed = ", ".join(fmt.includes) or "nothing"
            raise InvalidQuery(
                f"{fmt.name} can include {allowed}, not {value!r}.", field="include"
            )
    pair = _pair(fmt, srclang, source, target)
    selected = Concept.objects.all() if concepts is None else concepts
    # A TBX conceptEntry needs a term, and a table row or unit is made of them.
    selected = selected.filter(Exists(Term.objects.filter(concept=OuterRef("pk"))))
    today = timezone.localdate().isoformat()
    name = "-".join(["glossary", *pair, *(["v2"] if fmt.name == "tbx2" else []), today])
    # Read by pk, so what the given queryset annotates or prefetches plays no part.
    exported = Concept.objects.filter(pk__in=selected.values("pk"))
    if fmt.name in ("tbx", "tbx2"):
        chunks = tbx.write_tbx(
            _full_entries(exported.order_by("slug"), selected),
            version=2 if fmt.name == "tbx2" else 3,
        )
    elif fmt.name == "tmx":
        admitted = "admitted" in include
        # Units pair preferred terms, and admitted ones when asked for.
        statuses = [Term.Status.PREFERRED]
        if admitted:
            statuses.append(Term.Status.ADMITTED)
        chunks = tmx.write_tmx(
            read_entries(
                exported.order_by("slug"),
                terms=search.ordered_terms().filter(status__in=statuses),
            ),
            source_language=_language(srclang or "en", "srclang"),
            admitted=admitted,
            created=timezone.now(),
        )
    else:
        columns = pair or _languages_with_preferred(selected)
        # A row holds preferred terms only. (Filtering by language too would tempt
        # SQLite into scanning a language's terms for every chunk.)
        terms = search.ordered_terms().filter(status=Term.Status.PREFERRED)
        chunks = tabular.write_table(
            read_entries(
                _by_preferred_term(exported, columns[0] if columns else ""),
                terms=terms,
            ),
            columns=columns,
            dialect=fmt.name,
            ids="id" in include,
            pairs=bool(pair),
        )
    return Export(chunks, f"{name}.{fmt.extension}", fmt.content_type, selected)


def _pair(fmt: Format, srclang, source, target) -> list[str]:
    """The language pair of a two-column table; each option checked for the format."""
    if srclang and fmt.name != "tmx":
        raise InvalidQuery(f"srclang is for tmx, not {fmt.name}.", field="srclang")
    if (source or target) and fmt.name not in ("csv", "tsv"):
        raise InvalidQuery(
            f"source and target are for csv and tsv, not {fmt.name}.",
            field="source" if source else "target",
        )
    if bool(source) != bool(target):
        raise InvalidQuery(
            "Give both source and target for a language pair, or neither.",
            field="target" if source else "source",
        )
    if not source:
        return []
    pair = [_language(source, "source"), _language(target, "target")]
    if pair[0] == pair[1]:
        raise InvalidQuery("Source and target are the same language.", field="target")
    return pair


def _language(value: str, field: str) -> str:
    try:
        return languages.resolve(value)
    except UnknownLanguage as error:
        error.field = field
        raise


def _full_entries(concepts: QuerySet[Concept], selected: QuerySet[Concept]):
    # A crossReference must point into the file, so only relations between exported
    # concepts are written. The test is per relation: a subquery of the whole
    # selection would be evaluated again for every chunk.
    relations = ConceptRelation.objects.filter(
        Exists(selected.filter(pk=OuterRef("target")))
    )
    return read_entries(
        concepts, terms=search.ordered_terms(), full=True, relations=relations
    )


def _languages_with_preferred(concepts: QuerySet[Concept]) -> list[str]:
    """The languages some of these concepts have a preferred term in, registry order."""
    present = set(
        Term.objects.filter(
            concept__in=concepts.values("pk"), status=Term.Status.PREFERRED
        )
        .values_list("language", flat=True)
        .distinct()
    )
    return [tag for tag in languages.TAGS if tag in present]


def _by_preferred_term(concepts: QuerySet[Concept], language: str):
    """Rows in the order of the first column's term, so slugs play no part in it."""
    first = Term.objects.filter(
        concept=OuterRef("pk"), language=language, status=Term.Status.PREFERRED
    ).values("text")[:1]
    return concepts.annotate(first_term=Subquery(first)).order_by(
        F("first_term").asc(nulls_last=True), "pk"
    )
