"""Concepts as plain records, between the faces and files and the write service.

Writers read concepts through `read_entries`; readers (TBX, CSV, the seed's YAML) and
the admin produce entries, and `glossary.editing` checks and writes them. Values use
the glossary's own vocabulary (`preferred`, `fullForm`, `place`); each format maps them
to its own. Line numbers are where a reader met the data, for error reports, and take
no part in comparisons.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from django.db.models import F, QuerySet

from .models import Concept, ConceptRelation, Definition, Quote, SourceDocument, Term


@dataclass
class Problem:
    """Something in an entry that stops it from being written.

    `item` names the part of the entry concerned, ("terms", 2) for its third term, or
    None for the concept itself; `field` the field of that part, when one is at fault.
    """

    line: int | None
    message: str
    field: str | None = None
    item: tuple[str, int] | None = None
    code: str = "invalid"


@dataclass
class ContextEntry:
    """A quote attesting a term: the excerpt and the citation of its document."""

    excerpt: str
    source: str
    language: str = ""  # the document's language, when it differs from the term's
    line: int | None = field(default=None, compare=False)


@dataclass
class TermEntry:
    language: str
    text: str
    status: str = "preferred"
    term_type: str = "fullForm"
    part_of_speech: str = ""
    romanization: str = ""
    usage_note: str = ""
    source: str = ""
    contexts: list[ContextEntry] = field(default_factory=list)
    line: int | None = field(default=None, compare=False)
    # The term as stored, when the entry edits one (the admin): it keeps its identity
    # and its quotes across a change of text, and keeps its quotes unless the entry
    # gives contexts.
    id: int | None = field(default=None, compare=False)


@dataclass
class DefinitionEntry:
    language: str
    text: str
    source: str = ""
    line: int | None = field(default=None, compare=False)


@dataclass
class RelationEntry:
    kind: str
    target: str  # the slug of the other concept
    line: int | None = field(default=None, compare=False)


@dataclass
class ConceptEntry:
    """One concept; None (or an empty list) where a file says nothing.

    How much of the concept an entry states decides what it replaces:
    - a `partial` entry (a table row) names preferred terms only, merged into the
      concept;
    - by default (a TBX entry) the entry replaces the languages it holds and the
      relations to concepts of the same file, and leaves the rest alone;
    - a `whole` entry (the admin's form, the seed, a revert) is the whole concept:
      languages and relations it lacks are removed.

    `version` is the concept's version the entry was made from, when the writer must
    refuse it once someone else has changed the concept (optimistic concurrency).
    `seed_digest` fingerprints a seed entry: one already applied is skipped. `id` is
    the stored concept an entry edits (the admin's form), whose slug it may change.
    """

    slug: str | None
    kind: str | None = None
    status: str | None = None
    domain: str | None = None
    note: str | None = None
    visibility: str | None = None
    terms: list[TermEntry] = field(default_factory=list)
    definitions: list[DefinitionEntry] = field(default_factory=list)
    relations: list[RelationEntry] = field(default_factory=list)
    created: datetime | None = None
    updated: datetime | None = None
    partial: bool = False
    whole: bool = False
    version: int | None = None
    seed_digest: str | None = None
    id: int | None = field(default=None, compare=False)
    # Made to create a concept (the admin's add form, the API's POST): never matched
    # to an existing one, by slug or term.
    new: bool = False
    line: int | None = field(default=None, compare=False)
    problems: list[Problem] = field(default_factory=list, compare=False)
    # Data categories the file holds and the glossary has no field for: (name, line).
    ignored: list[tuple[str, int | None]] = field(default_factory=list, compare=False)

    def preferred(self) -> dict[str, str]:
        """The preferred term of each language, in entry order."""
        preferred: dict[str, str] = {}
        for term in self.terms:
            if term.status == "preferred":
                preferred.setdefault(term.language, term.text)
        return preferred


CHUNK_SIZE = 250


def citation(document: SourceDocument) -> str:
    """How a file names a quote's document, and how an import finds it again.

    Takes a document, or any row with its `citation` and `title`.
    """
    return document.citation or document.title


def read_entries(
    concepts: QuerySet[Concept],
    *,
    terms: QuerySet[Term],
    full: bool = False,
    relations: QuerySet[ConceptRelation] | None = None,
) -> Iterator[ConceptEntry]:
    """The concepts as entries, in the queryset's order, read CHUNK_SIZE at a time.

    An entry holds the concept's terms among `terms`, in their order. With `full` it
    holds all a concept has: term details and quotes, definitions, dates and the
    relations among `relations` (all by default). Rows are read as tuples, never as
    model instances, with a fixed number of queries per chunk.
    """
    dates = ["created", "updated"] if full else []
    rows = concepts.values_list(
        "pk", "slug", "kind", "status", "domain", "note", "visibility", *dates
    ).iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        entries = {}
        for pk, slug, kind, status, domain, note, visibility, *dated in chunk:
            entries[pk] = entry = ConceptEntry(
                slug, kind, status, domain, note, visibility
            )
            if dated:
                entry.created, entry.updated = dated
        if full:
            _read_details(entries, terms, relations)
        else:
            for concept, language, text, status in terms.filter(
                concept__pk__in=list(entries)
            ).values_list("concept", "language", "text", "status"):
                entries[concept].terms.append(TermEntry(language, text, status))
        yield from entries.values()


def _read_details(entries: dict[int, ConceptEntry], terms, relations) -> None:
    pks = list(entries)
    by_pk: dict[int, TermEntry] = {}
    # In TermEntry's field order: language, text, then the descriptive fields.
    rows = terms.filter(concept__pk__in=pks).values_list(
        "pk", "concept", "language", "text", *Term.DESCRIPTIVE_FIELDS
    )
    for pk, concept, *values in rows:
        by_pk[pk] = term = TermEntry(*values)
        entries[concept].terms.append(term)
    quotes = (
        Quote.terms.through.objects.filter(term__concept__pk__in=pks)
        .annotate(
            excerpt=F("quote__excerpt"),
            citation=F("quote__document__citation"),
            title=F("quote__document__title"),
            language=F("quote__document__language"),
        )
        # Quotes in their documents' order; the pk settles ties on every database.
        .order_by("quote__document__slug", "quote__start", "quote")
        .values_list("term", "excerpt", "citation", "title", "language", named=True)
    )
    for quote in quotes:
        term = by_pk.get(quote.term)
        if term is not None:  # None for a term `terms` leaves out
            language = "" if quote.language == term.language else quote.language
            term.contexts.append(ContextEntry(quote.excerpt, citation(quote), language))
    definitions = Definition.objects.filter(concept__pk__in=pks).order_by("language")
    for concept, *values in definitions.values_list(
        "concept", "language", "text", "source"
    ):
        entries[concept].definitions.append(DefinitionEntry(*values))
    relations = ConceptRelation.objects.all() if relations is None else relations
    for source, kind, target in (
        relations.filter(source__pk__in=pks)
        .order_by("kind", "target__slug")
        .values_list("source", "kind", "target__slug")
    ):
        entries[source].relations.append(RelationEntry(kind, target))
