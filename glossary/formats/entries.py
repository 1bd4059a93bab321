"""Concepts as exchange files hold them: plain records between a file and the database.

Writers read concepts through `from_concept`, readers produce entries, and imports
compare and write them. Values use the glossary's own vocabulary (`preferred`,
`fullForm`, `place`); each format maps them to its own. Line numbers are where a reader
met the data, for error reports, and take no part in comparisons.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet

from ..models import Concept, SourceDocument, Term


@dataclass
class Problem:
    """Something in an entry that stops it from being imported."""

    line: int | None
    message: str


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

    A `partial` entry is a table row: it names preferred terms only, so an import merges
    them into the concept instead of replacing its languages.
    """

    slug: str | None
    kind: str | None = None
    status: str | None = None
    domain: str | None = None
    note: str | None = None
    terms: list[TermEntry] = field(default_factory=list)
    definitions: list[DefinitionEntry] = field(default_factory=list)
    relations: list[RelationEntry] = field(default_factory=list)
    created: datetime | None = None
    updated: datetime | None = None
    partial: bool = False
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


CHUNK_SIZE = 500


def iterate(concepts: Iterable[Concept]) -> Iterator[Concept]:
    """Concepts one at a time; a queryset is read in chunks, prefetches per chunk."""
    if isinstance(concepts, QuerySet):
        return concepts.iterator(chunk_size=CHUNK_SIZE)
    return iter(concepts)


def citation(document: SourceDocument) -> str:
    """How a file names a quote's document, and how an import finds it again."""
    return document.citation or document.title


def from_concept(concept: Concept, *, full: bool = True) -> ConceptEntry:
    """A concept as an entry: its terms, and with `full` all it holds.

    Reads `terms` (with `quotes__document` when full), `definitions` and
    `relations__target` through the concept, so prefetch them: the entry has exactly
    the relations prefetched.
    """
    entry = ConceptEntry(
        slug=concept.slug,
        kind=concept.kind,
        status=concept.status,
        domain=concept.domain,
        note=concept.note,
        terms=[_term(term, full=full) for term in concept.terms.all()],
    )
    if full:
        entry.definitions = [
            DefinitionEntry(d.language, d.text, d.source)
            for d in concept.definitions.all()
        ]
        entry.relations = [
            RelationEntry(relation.kind, relation.target.slug)
            for relation in concept.relations.all()
        ]
        entry.created, entry.updated = concept.created, concept.updated
    return entry


def _term(term: Term, *, full: bool) -> TermEntry:
    entry = TermEntry(term.language, term.text, term.status)
    if full:
        entry.term_type = term.term_type
        entry.part_of_speech = term.part_of_speech
        entry.romanization = term.romanization
        entry.usage_note = term.usage_note
        entry.source = term.source
        entry.contexts = [
            ContextEntry(
                quote.excerpt,
                citation(quote.document),
                ""
                if quote.document.language == term.language
                else quote.document.language,
            )
            for quote in term.quotes.all()
        ]
    return entry
