"""A concept's state as the write service compares it: before, after, at a version.

The same record serves the planner (what an entry would change), the history (what a
version held, stored as JSON) and the diff shown to editors, so all three agree on what
a change is.
"""

from dataclasses import dataclass, field, replace

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ..models import Concept, ConceptRelation, Quote, SourceDocument, Term

FIELDS = ("slug", "kind", "status", "visibility", "domain", "note")
TERM_FIELDS = Term.DESCRIPTIVE_FIELDS
QuoteKey = tuple[int, int, int]  # document id, start, end
TermKey = tuple[str, str]  # language, text
_BATCH = 500


@dataclass(frozen=True)
class TermState:
    status: str
    term_type: str = Term.TermType.FULL_FORM
    part_of_speech: str = ""
    romanization: str = ""
    usage_note: str = ""
    source: str = ""
    quotes: frozenset[QuoteKey] = frozenset()
    # The stored term this state is of, if any: not part of what the term says.
    pk: int | None = field(default=None, compare=False)

    def with_status(self, status: str) -> "TermState":
        return replace(self, status=status)


@dataclass
class ConceptState:
    """What the write service can change of a concept, in a form that compares whole."""

    fields: dict[str, str] = field(default_factory=dict)
    terms: dict[TermKey, TermState] = field(default_factory=dict)
    definitions: dict[str, tuple[str, str]] = field(default_factory=dict)
    relations: set[tuple[str, str]] = field(default_factory=set)  # (kind, target)

    def copy(self) -> "ConceptState":
        return ConceptState(
            dict(self.fields),
            dict(self.terms),
            dict(self.definitions),
            set(self.relations),
        )

    def to_json(self) -> dict:
        return {
            "fields": self.fields,
            "terms": [
                {
                    "language": language,
                    "text": text,
                    **{name: getattr(term, name) for name in TERM_FIELDS},
                    "quotes": sorted(list(key) for key in term.quotes),
                    "pk": term.pk,
                }
                for (language, text), term in self.terms.items()
            ],
            "definitions": {
                language: {"text": text, "source": source}
                for language, (text, source) in self.definitions.items()
            },
            "relations": sorted([kind, target] for kind, target in self.relations),
        }

    @classmethod
    def from_json(cls, data: dict) -> "ConceptState":
        # Versions recorded before a field existed hold its default.
        return cls(
            fields={"visibility": Concept.Visibility.PUBLIC, **data["fields"]},
            terms={
                (term["language"], term["text"]): TermState(
                    *(term[name] for name in TERM_FIELDS),
                    quotes=frozenset(tuple(key) for key in term["quotes"]),
                    pk=term.get("pk"),
                )
                for term in data["terms"]
            },
            definitions={
                language: (value["text"], value["source"])
                for language, value in data["definitions"].items()
            },
            relations={(kind, target) for kind, target in data["relations"]},
        )


def state_of(concept: Concept) -> ConceptState:
    """The stored state of a concept fetched by `load_concepts` (or any concept)."""
    return ConceptState(
        fields={name: getattr(concept, name) for name in FIELDS},
        terms={
            (term.language, term.text): TermState(
                *(getattr(term, name) for name in TERM_FIELDS),
                quotes=frozenset(
                    (q.document_id, q.start, q.end) for q in term.quotes.all()
                ),
                pk=term.pk,
            )
            for term in concept.terms.all()
        },
        definitions={d.language: (d.text, d.source) for d in concept.definitions.all()},
        relations={(r.kind, r.target.slug) for r in concept.relations.all()},
    )


def batches(items: list, size: int = _BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def with_state(concepts):
    """The queryset with what `state_of` reads, in a fixed number of queries."""
    quotes = Quote.objects.only("id", "document_id", "start", "end")
    terms = Term.objects.prefetch_related(Prefetch("quotes", queryset=quotes))
    relations = ConceptRelation.objects.select_related("target").only(
        "id", "kind", "source_id", "target__slug"
    )
    return concepts.prefetch_related(
        Prefetch("terms", queryset=terms),
        "definitions",
        Prefetch("relations", queryset=relations),
    )


def load_concepts(slugs: list[str]) -> dict[str, Concept]:
    """Existing concepts by slug, with what their state is made of."""
    found = {}
    for batch in batches(slugs):
        concepts = with_state(Concept.objects.filter(slug__in=batch))
        found.update((concept.slug, concept) for concept in concepts)
    return found


@dataclass(frozen=True)
class Change:
    """One difference between two states, as an editor reads it."""

    subject: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.old or '—'} → {self.new or '—'}"


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _shown(model, name: str, value) -> str:
    """A stored value as an editor reads it: a choice by its label."""
    choices = dict(model._meta.get_field(name).flatchoices)
    return str(choices.get(value, value or ""))


def _quote_refs(keys, documents: dict[int, str]) -> str:
    return ", ".join(
        f"{documents.get(document, document)} {start}–{end}"
        for document, start, end in sorted(keys)
    )


def changes(before: ConceptState, after: ConceptState) -> list[Change]:
    """Every difference from `before` to `after`, field by field and term by term."""
    found = []
    for name in FIELDS:
        old, new = before.fields.get(name, ""), after.fields.get(name, "")
        if old != new:
            found.append(
                Change(
                    _label(Concept, name),
                    _shown(Concept, name, old),
                    _shown(Concept, name, new),
                )
            )
    documents: dict[int, str] | None = None
    for key in sorted(before.terms.keys() | after.terms.keys()):
        old, new = before.terms.get(key), after.terms.get(key)
        if old == new:
            continue
        subject = f"{_('term')} {key[0]} “{key[1]}”"
        if old is None or new is None:
            found.append(
                Change(
                    subject,
                    _shown(Term, "status", old.status) if old else "",
                    _shown(Term, "status", new.status) if new else "",
                )
            )
            continue
        for name in TERM_FIELDS:
            if getattr(old, name) != getattr(new, name):
                label = f"{subject} {_label(Term, name)}"
                found.append(
                    Change(
                        label,
                        _shown(Term, name, getattr(old, name)),
                        _shown(Term, name, getattr(new, name)),
                    )
                )
        if old.quotes != new.quotes:
            if documents is None:
                documents = dict(SourceDocument.objects.values_list("id", "slug"))
            found.append(
                Change(
                    f"{subject} {_('quotes')}",
                    _quote_refs(old.quotes, documents),
                    _quote_refs(new.quotes, documents),
                )
            )
    for language in sorted(before.definitions.keys() | after.definitions.keys()):
        old, new = before.definitions.get(language), after.definitions.get(language)
        if old != new:
            found.append(
                Change(
                    f"{_('definition')} {language}",
                    " — ".join(filter(None, old or ())),
                    " — ".join(filter(None, new or ())),
                )
            )
    for kind, target in sorted(before.relations - after.relations):
        shown = _shown(ConceptRelation, "kind", kind)
        found.append(Change(_("relation"), f"{shown} → {target}", ""))
    for kind, target in sorted(after.relations - before.relations):
        shown = _shown(ConceptRelation, "kind", kind)
        found.append(Change(_("relation"), "", f"{shown} → {target}"))
    return found
