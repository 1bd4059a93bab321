"""Imports: a TBX, CSV or TSV file checked against the glossary, then written whole.

The whole file is read into entries and checked before anything is written: languages,
slugs, one preferred term per language, relation targets, quotes. Each entry's effect
is worked out by comparing the concept's state before and after it, which makes the
report (created, updated, unchanged, conflicts, warnings); a dry run stops there.
Otherwise, and only without conflicts, the changes are written in one transaction.

How an entry changes the glossary:

- It is matched by slug (the TBX entry id, a table's `id` column). An entry without
  one is matched by its first preferred term, exactly as written, or else creates a
  concept with a slug made from that term (draft, of the kind the import is given when
  the file names none).
- A TBX entry replaces the terms and the definition of each language it holds and leaves
  the other languages alone (a CAT tool often sends back only its language pair). Its
  kind, status, domain and note replace the concept's when it gives them, and its
  relations replace the concept's relations to concepts in the file.
- A table row makes each of its cells the preferred term of its language; the former
  preferred term stays, admitted.
- A context links its term to a quote when its source names a document (by citation,
  title or slug) and its excerpt is that document's verbatim text: an existing quote, or
  a new one at the excerpt's only occurrence. Any other context cannot become a quote,
  which is by definition a verbatim excerpt of a source document held here: it is
  reported as a warning, and the term keeps the quotes it had.
"""

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import DatabaseError, transaction
from django.db.models import Prefetch
from django.utils.text import slugify

from .. import languages, normalize
from ..errors import (
    ImportRejected,
    InvalidQuery,
    UnknownLanguage,
    UnsupportedFile,
    UploadTooLarge,
)
from ..models import (
    Concept,
    ConceptRelation,
    Definition,
    Quote,
    SourceDocument,
    Term,
    bump_glossary_version,
    locate_excerpt,
)
from .entries import ConceptEntry, TermEntry, citation
from .tabular import read_table
from .tbx import read_tbx

FILE_TYPES = {".tbx": "tbx", ".xml": "tbx", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv"}
DEFAULT_KIND = Concept.Kind.PHRASE
FIELDS = ("kind", "status", "domain", "note")
TERM_FIELDS = Term.DESCRIPTIVE_FIELDS
_BATCH = 500

Progress = Callable[[list], Iterable]
QuoteKey = tuple[int, int, int]  # document id, start, end


@dataclass
class ReportItem:
    outcome: str  # created, updated, unchanged, conflict or warning
    id: str | None
    line: int | None
    message: str = ""

    def __str__(self) -> str:
        where = " ".join(
            part
            for part in (self.id or "", f"(line {self.line})" if self.line else "")
            if part
        )
        return f"{where}: {self.message}" if where else self.message


@dataclass
class ImportReport:
    """What an import did or would do: an item per entry, conflict and warning."""

    filename: str
    file_format: str
    dry_run: bool
    written: bool = False
    items: list[ReportItem] = field(default_factory=list)

    def add(self, outcome: str, slug, line, message: str = "") -> None:
        self.items.append(ReportItem(outcome, slug, line, message))

    def of(self, outcome: str) -> list[ReportItem]:
        return [item for item in self.items if item.outcome == outcome]

    created = property(lambda self: len(self.of("created")))
    updated = property(lambda self: len(self.of("updated")))
    unchanged = property(lambda self: len(self.of("unchanged")))
    conflicts = property(lambda self: len(self.of("conflict")))
    warnings = property(lambda self: len(self.of("warning")))

    def __str__(self) -> str:
        counts = (
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.conflicts} conflicts, "
            f"{self.warnings} warnings"
        )
        if self.written:
            return f"Imported {self.filename}: {counts}"
        return f"Dry run of {self.filename}, nothing written: {counts}"


def file_format(filename: str) -> str:
    """The reader a file name calls for: tbx, csv or tsv."""
    suffix = Path(filename).suffix.lower()
    if suffix in FILE_TYPES:
        return FILE_TYPES[suffix]
    hint = (
        " A TMX file holds translation units, not concepts; import the TBX export."
        if suffix == ".tmx"
        else ""
    )
    raise UnsupportedFile(
        f"Cannot import {Path(filename).name!r}: send TBX (.tbx or .xml, v3 or v2), "
        f"CSV (.csv) or TSV (.tsv).{hint}",
        field="file",
    )


def check_upload_size(size: int) -> None:
    """Refuse an upload larger than GLOSSARY_MAX_UPLOAD_BYTES."""
    limit = settings.GLOSSARY_MAX_UPLOAD_BYTES
    if size > limit:
        raise UploadTooLarge(
            f"The upload is {size:,} bytes; imports take at most {limit:,} bytes. "
            "Split the file, or import it with manage.py import_glossary.",
            field="file",
        )


def import_file(
    source: BinaryIO,
    *,
    filename: str,
    dry_run: bool = False,
    kind: str = DEFAULT_KIND,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a TBX (v3 or v2), CSV or TSV file, all or nothing, or report a dry run.

    Raises UnsupportedFile, UnsafeXml or UnknownLanguage when the file cannot be read,
    and ImportRejected, carrying the report, when entries conflict. `kind` is given to
    new concepts whose entry names none; `progress` wraps the list of concepts written.
    """
    file_type = file_format(filename)
    if kind not in Concept.Kind.values:
        raise InvalidQuery(
            f"Unknown kind {kind!r}; use one of {', '.join(Concept.Kind.values)}.",
            field="kind",
        )
    if file_type == "tbx":
        entries = list(read_tbx(source))
    else:
        entries = list(read_table(source, dialect=file_type))
    report = ImportReport(Path(filename).name, file_type, dry_run)
    quotes = _Quotes()
    plans = _plan(entries, report, quotes, default_kind=kind)
    if report.conflicts:
        if dry_run:
            return report
        raise ImportRejected(_rejection(report), report=report)
    if not dry_run:
        changed = [plan for plan in plans if plan.changed]
        if changed:
            _write(changed, quotes, progress, report)
        report.written = True
    return report


def _rejection(report: ImportReport) -> str:
    conflicts = report.of("conflict")
    listed = "; ".join(str(item) for item in conflicts[:10])
    more = f"; and {len(conflicts) - 10} more" if len(conflicts) > 10 else ""
    return f"Nothing was imported: {len(conflicts)} conflict(s). {listed}{more}."


# Checking


def _canonical_languages(entries: list[ConceptEntry]) -> None:
    """Canonical tags for all terms and definitions; name every unknown tag at once."""
    first_line: dict[str, int | None] = {}
    for entry in entries:
        for item in (*entry.terms, *entry.definitions):
            first_line.setdefault(item.language, item.line)
    unknown = {}
    for tag, line in first_line.items():
        try:
            languages.resolve(tag)
        except UnknownLanguage:
            unknown[tag] = line
    if unknown:
        lines = ", ".join(f"{tag!r} at line {line}" for tag, line in unknown.items())
        try:
            # Commas would split a tag in two; no language tag holds one.
            languages.resolve_list(
                ",".join(tag.replace(",", " ") for tag in unknown), field="file"
            )
        except UnknownLanguage as error:
            raise UnknownLanguage(
                f"{error} First met: {lines}.", field="file"
            ) from None
    for entry in entries:
        for item in (*entry.terms, *entry.definitions):
            item.language = languages.resolve(item.language)


def _limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _too_long(model, name: str, value: str) -> str | None:
    limit = _limit(model, name)
    if len(value) > limit:
        return f"{model._meta.verbose_name} {name} is longer than {limit} characters"
    return None


def _problems(entry: ConceptEntry) -> list[tuple[int | None, str]]:
    """What stops an entry from being imported, with the line of each."""
    line = entry.line
    found = [(problem.line, problem.message) for problem in entry.problems]
    if entry.slug is not None:
        try:
            validate_slug(entry.slug)
        except ValidationError:
            found.append(
                (line, f"id {entry.slug!r} is no slug (letters, digits, - and _)")
            )
        if message := _too_long(Concept, "slug", entry.slug):
            found.append((line, message))
    for name, choices in (("kind", Concept.Kind), ("status", Concept.Status)):
        value = getattr(entry, name)
        if value is not None and value not in choices.values:
            found.append(
                (line, f"{name} {value!r} is not one of {', '.join(choices.values)}")
            )
    if entry.domain and (message := _too_long(Concept, "domain", entry.domain)):
        found.append((line, message))
    if not entry.terms:
        found.append((line, "no terms"))
    seen = set()
    preferred = defaultdict(list)
    for term in entry.terms:
        key = (term.language, term.text)
        if not normalize.search_key(term.text):
            found.append((term.line, f"term {term.text!r} has no letter or digit"))
        for name in ("text", "romanization", "source"):
            if message := _too_long(Term, name, getattr(term, name)):
                found.append((term.line, f"{term.text[:40]!r}: {message}"))
        if key in seen:
            found.append((term.line, f"term {term.text!r} [{term.language}] twice"))
        seen.add(key)
        if term.status == Term.Status.PREFERRED:
            preferred[term.language].append(term)
    for language, terms in preferred.items():
        if len(terms) > 1:
            texts = ", ".join(repr(term.text) for term in terms)
            found.append(
                (
                    terms[1].line,
                    f"more than one preferred term in {language} ({texts}); mark "
                    "all but one admitted",
                )
            )
    defined = Counter(definition.language for definition in entry.definitions)
    for definition in entry.definitions:
        if defined[definition.language] > 1:
            found.append((definition.line, f"two definitions in {definition.language}"))
            defined[definition.language] = 0
        if message := _too_long(Definition, "source", definition.source):
            found.append((definition.line, message))
    for relation in entry.relations:
        if entry.slug and relation.target == entry.slug:
            found.append((relation.line, "a relation to the concept itself"))
    return found


# Planning


@dataclass(frozen=True)
class _TermState:
    status: str
    term_type: str = Term.TermType.FULL_FORM
    part_of_speech: str = ""
    romanization: str = ""
    usage_note: str = ""
    source: str = ""
    quotes: frozenset[QuoteKey] = frozenset()


@dataclass
class _State:
    """What an import can change of a concept, in a form that compares as a whole."""

    fields: dict[str, str] = field(default_factory=dict)
    terms: dict[tuple[str, str], _TermState] = field(default_factory=dict)
    definitions: dict[str, tuple[str, str]] = field(default_factory=dict)
    relations: set[tuple[str, str]] = field(default_factory=set)

    def copy(self) -> "_State":
        return _State(
            dict(self.fields),
            dict(self.terms),
            dict(self.definitions),
            set(self.relations),
        )


def _state_of(concept: Concept) -> _State:
    return _State(
        fields={name: getattr(concept, name) for name in FIELDS},
        terms={
            (term.language, term.text): _TermState(
                *(getattr(term, name) for name in TERM_FIELDS),
                quotes=frozenset(
                    (q.document_id, q.start, q.end) for q in term.quotes.all()
                ),
            )
            for term in concept.terms.all()
        },
        definitions={d.language: (d.text, d.source) for d in concept.definitions.all()},
        relations={(r.kind, r.target.slug) for r in concept.relations.all()},
    )


@dataclass
class _Plan:
    entry: ConceptEntry
    slug: str = ""
    concept: Concept | None = None  # the existing concept, or the one created
    before: _State = field(default_factory=_State)
    after: _State = field(default_factory=_State)
    changed: list[str] = field(default_factory=list)


def _batches(items: list, size: int = _BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _load(slugs: list[str]) -> dict[str, Concept]:
    """Existing concepts by slug, with what their state is made of."""
    quotes = Quote.objects.only("id", "document_id", "start", "end")
    terms = Term.objects.prefetch_related(Prefetch("quotes", queryset=quotes))
    relations = ConceptRelation.objects.select_related("target")
    found = {}
    for batch in _batches(slugs):
        concepts = Concept.objects.filter(slug__in=batch).prefetch_related(
            Prefetch("terms", queryset=terms),
            "definitions",
            Prefetch("relations", queryset=relations),
        )
        found.update((concept.slug, concept) for concept in concepts)
    return found


def _plan(entries, report: ImportReport, quotes, *, default_kind: str) -> list[_Plan]:
    _canonical_languages(entries)
    plans = []
    for entry in entries:
        problems = _problems(entry)
        for line, message in problems:
            report.add("conflict", entry.slug, line, message)
        if not problems:
            plans.append(_Plan(entry, slug=entry.slug or ""))
    existing = _load([plan.slug for plan in plans if plan.slug])
    for plan, slugs in _match_by_term([p for p in plans if not p.slug], existing):
        report.add(
            "conflict",
            None,
            plan.entry.line,
            f"its preferred term {_first_preferred(plan.entry)[1]!r} is the "
            f"preferred term of {', '.join(sorted(slugs))}; give the concept's id",
        )
        plans.remove(plan)
    _new_slugs(
        [plan for plan in plans if not plan.slug],
        {plan.slug for plan in plans if plan.slug} | set(existing),
    )
    lines: dict[str, int | None] = {}
    for plan in list(plans):
        if plan.slug in lines:
            report.add(
                "conflict",
                plan.slug,
                plan.entry.line,
                f"the concept is in the file already (line {lines[plan.slug]})",
            )
            plans.remove(plan)
        lines.setdefault(plan.slug, plan.entry.line)
    known = set(lines) | _existing_slugs(
        {r.target for plan in plans for r in plan.entry.relations} - set(lines)
    )
    without_kind = 0
    file_slugs = set(lines)  # once: a set per entry made large imports quadratic
    for plan in plans:
        plan.concept = existing.get(plan.slug)
        if plan.concept is not None:
            plan.before = _state_of(plan.concept)
        elif plan.entry.kind is None:
            without_kind += 1
        plan.after = _after(plan, quotes, file_slugs, known, report, default_kind)
        plan.changed = _changes(plan.before, plan.after)
        if plan.concept is None:
            report.add("created", plan.slug, plan.entry.line)
        elif plan.changed:
            message = f"changes {', '.join(plan.changed)}"
            report.add("updated", plan.slug, plan.entry.line, message)
        else:
            report.add("unchanged", plan.slug, plan.entry.line)
    if without_kind:
        report.add(
            "warning",
            None,
            None,
            f"{without_kind} new concept(s) have no kind in the file and become "
            f"'{default_kind}', draft; review them.",
        )
    _report_ignored(entries, report)
    return plans


def _existing_slugs(slugs: set[str]) -> set[str]:
    found = set()
    for batch in _batches(sorted(slugs)):
        found.update(
            Concept.objects.filter(slug__in=batch).values_list("slug", flat=True)
        )
    return found


def _first_preferred(entry: ConceptEntry) -> tuple[str, str] | None:
    return next(iter(entry.preferred().items()), None)


def _match_by_term(plans: list[_Plan], existing: dict[str, Concept]):
    """Give entries without a slug the concept whose preferred term is their first.

    Returns the (plan, slugs) of entries whose term several concepts prefer.
    """
    wanted = defaultdict(set)
    for plan in plans:
        if first := _first_preferred(plan.entry):
            wanted[first[0]].add(first[1])
    owners = defaultdict(set)
    for language, texts in wanted.items():
        for batch in _batches(sorted(texts)):
            rows = Term.objects.filter(
                language=language, status=Term.Status.PREFERRED, text__in=batch
            ).values_list("text", "concept__slug")
            for text, slug in rows:
                owners[(language, text)].add(slug)
    ambiguous = []
    for plan in plans:
        slugs = owners.get(_first_preferred(plan.entry), set())
        if len(slugs) == 1:
            plan.slug = next(iter(slugs))
        elif slugs:
            ambiguous.append((plan, slugs))
    existing.update(_load([plan.slug for plan in plans if plan.slug]))
    return ambiguous


def _slug_base(entry: ConceptEntry) -> str:
    """A slug from the entry's English preferred term, or else its first one."""
    texts = sorted(entry.preferred().items(), key=lambda item: item[0] != "en")
    for _, text in texts:
        # Cyrillic goes to the Kazakh Latin alphabet first, so it leaves letters.
        if base := slugify(normalize.kazakh_latin(text))[:90].strip("-"):
            return base
    return "concept"


def _new_slugs(plans: list[_Plan], reserved: set[str]) -> None:
    """Slugs for new concepts, made from their terms, taken by nothing else."""
    bases = [_slug_base(plan.entry) for plan in plans]
    # One query for the likely candidates; a sixth variant is checked on its own.
    candidates = {f"{base}-{n}" for base in bases for n in range(2, 6)}
    taken = reserved | _existing_slugs(candidates | set(bases))
    for plan, base in zip(plans, bases, strict=True):
        slug, n = base, 1
        while slug in taken or (n > 5 and _existing_slugs({slug})):
            n += 1
            slug = f"{base}-{n}"
        plan.slug = slug
        taken.add(slug)


def _after(plan: _Plan, quotes, file_slugs, known_slugs, report, default_kind):
    """The concept's state once the entry is imported."""
    entry, after = plan.entry, plan.before.copy()
    if plan.concept is None:
        after.fields = {
            "kind": entry.kind or default_kind,
            "status": entry.status or Concept.Status.DRAFT,
            "domain": entry.domain or "",
            "note": entry.note or "",
        }
    else:
        for name in FIELDS:
            if getattr(entry, name) is not None:
                after.fields[name] = getattr(entry, name)
    if entry.partial:
        for term in entry.terms:
            _make_preferred(after, term)
        return after
    held = {term.language for term in entry.terms}
    held |= {definition.language for definition in entry.definitions}
    after.terms = {key: t for key, t in after.terms.items() if key[0] not in held}
    for term in entry.terms:
        key = (term.language, term.text)
        linked, unlinked = quotes.keys(term)
        for line, message in unlinked:
            report.add("warning", plan.slug, line, message)
        if unlinked and key in plan.before.terms:
            linked |= plan.before.terms[key].quotes
        after.terms[key] = _TermState(
            *(getattr(term, name) for name in TERM_FIELDS), quotes=frozenset(linked)
        )
    after.definitions = {
        language: value
        for language, value in after.definitions.items()
        if language not in held
    }
    for definition in entry.definitions:
        after.definitions[definition.language] = (definition.text, definition.source)
    after.relations = {r for r in after.relations if r[1] not in file_slugs}
    for relation in entry.relations:
        if relation.target in known_slugs:
            after.relations.add((relation.kind, relation.target))
        else:
            report.add(
                "warning",
                plan.slug,
                relation.line,
                f"crossReference to {relation.target!r}, which is no concept in the "
                "file or the glossary; left out",
            )
    return after


def _make_preferred(state: _State, term: TermEntry) -> None:
    key = (term.language, term.text)
    for other, other_state in list(state.terms.items()):
        if (
            other[0] == term.language
            and other != key
            and other_state.status == Term.Status.PREFERRED
        ):
            state.terms[other] = dataclasses.replace(
                other_state, status=Term.Status.ADMITTED
            )
    current = state.terms.get(key)
    state.terms[key] = (
        dataclasses.replace(current, status=Term.Status.PREFERRED)
        if current
        else _TermState(Term.Status.PREFERRED)
    )


def _changes(before: _State, after: _State) -> list[str]:
    changed = [name for name in FIELDS if before.fields.get(name) != after.fields[name]]
    for name in ("terms", "definitions", "relations"):
        if getattr(before, name) != getattr(after, name):
            changed.append(name)
    return changed


def _report_ignored(entries: list[ConceptEntry], report: ImportReport) -> None:
    """A warning per data category the file holds and the glossary has no field for."""
    met: dict[str, list] = {}
    for entry in entries:
        for name, line in entry.ignored:
            met.setdefault(name, [0, entry.slug, line])[0] += 1
    for name, (count, slug, line) in met.items():
        report.add(
            "warning",
            slug,
            line,
            f"{name}: the glossary has no field for it; {count} left out",
        )


class _Quotes:
    """Finds the quote a context stands for, and the new quotes to create."""

    def __init__(self) -> None:
        documents = SourceDocument.objects.only("id", "slug", "title", "citation")
        self._documents = defaultdict(set)
        for document in documents:
            for name in (citation(document), document.title, document.slug):
                self._documents[name].add(document)
        self._spans: dict[int, dict[str, list[tuple[int, int, int]]]] = {}
        self._texts: dict[int, str] = {}
        self.new: dict[QuoteKey, str] = {}  # quotes to create: key → excerpt
        self.ids: dict[QuoteKey, int] = {}

    def _existing(self, document_id: int) -> dict[str, list[tuple[int, int, int]]]:
        if document_id not in self._spans:
            spans = defaultdict(list)
            rows = Quote.objects.filter(document_id=document_id).order_by("start")
            for pk, excerpt, start, end in rows.values_list(
                "pk", "excerpt", "start", "end"
            ):
                spans[excerpt].append((start, end, pk))
                self.ids[(document_id, start, end)] = pk
            self._spans[document_id] = spans
        return self._spans[document_id]

    def keys(self, term: TermEntry):
        """The quotes a term's contexts stand for, and (line, why) for the others."""
        linked, unlinked = set(), []
        repeated = Counter()
        for context in term.contexts:
            short = context.excerpt[:50] + ("…" if len(context.excerpt) > 50 else "")
            documents = self._documents.get(context.source, set())
            if len(documents) != 1:
                known = "several documents" if documents else "no document"
                unlinked.append(
                    (
                        context.line,
                        f"context {short!r}: {known} here is cited as "
                        f"{context.source!r}, so it cannot be a quote; not linked",
                    )
                )
                continue
            document = next(iter(documents))
            spans = self._existing(document.pk).get(context.excerpt, [])
            # The same excerpt twice in one term stands for two quotes of it.
            index = repeated[(document.pk, context.excerpt)]
            repeated[(document.pk, context.excerpt)] += 1
            if index < len(spans):
                linked.add((document.pk, *spans[index][:2]))
                continue
            if document.pk not in self._texts:
                self._texts[document.pk] = SourceDocument.objects.values_list(
                    "text", flat=True
                ).get(pk=document.pk)
            try:
                start, end = locate_excerpt(self._texts[document.pk], context.excerpt)
            except ValueError as error:
                unlinked.append(
                    (context.line, f"context {short!r} in {document.slug}: {error}")
                )
                continue
            self.new[(document.pk, start, end)] = context.excerpt
            linked.add((document.pk, start, end))
        return linked, unlinked


# Writing


def _write(plans: list[_Plan], quotes: _Quotes, progress, report) -> None:
    try:
        with transaction.atomic():
            for key, excerpt in quotes.new.items():
                document_id, start, end = key
                quote, _ = Quote.objects.get_or_create(
                    document_id=document_id,
                    start=start,
                    end=end,
                    defaults={"excerpt": excerpt},
                )
                quotes.ids[key] = quote.pk
            batch = []
            for plan in progress(plans) if progress else plans:
                batch.append(plan)
                if len(batch) == _BATCH:
                    _write_batch(batch, quotes.ids)
                    batch = []
            _write_batch(batch, quotes.ids)
            _write_relations(plans)
            # Bulk inserts send no signals, so the version is raised once here.
            bump_glossary_version()
    except DatabaseError as error:
        raise ImportRejected(
            f"The database refused the import ({error}); nothing was written.",
            report=report,
        ) from None


def _write_batch(batch: list[_Plan], quote_ids: dict[QuoteKey, int]) -> None:
    new = [plan for plan in batch if plan.concept is None]
    created = Concept.objects.bulk_create(
        [Concept(slug=plan.slug, **plan.after.fields) for plan in new]
    )
    dated = []
    for plan, concept in zip(new, created, strict=True):
        plan.concept = concept
        # A concept restored from a file keeps the dates it was made and changed on.
        if plan.entry.created or plan.entry.updated:
            concept.created = plan.entry.created or concept.created
            concept.updated = plan.entry.updated or concept.updated
            dated.append(concept)
    Concept.objects.bulk_update(dated, ["created", "updated"])
    for plan in batch:
        if plan in new:
            continue
        for name, value in plan.after.fields.items():
            setattr(plan.concept, name, value)
        plan.concept.save()  # raises the version and the date changed
    _write_terms(batch, quote_ids)
    _write_definitions(batch)


def _write_terms(batch: list[_Plan], quote_ids: dict[QuoteKey, int]) -> None:
    stale, demoted, promoted, added, relinked = [], [], [], [], []
    for plan in batch:
        before, after = plan.before.terms, plan.after.terms
        # A concept created just now has no terms to read back.
        terms = plan.concept.terms.all() if before else []
        existing = {(t.language, t.text): t for t in terms}
        stale += [existing[key].pk for key in before.keys() - after.keys()]
        for key, state in after.items():
            if before.get(key) == state:
                continue
            term = existing.get(key) or Term(
                concept=plan.concept, language=key[0], text=key[1]
            )
            for name in TERM_FIELDS:
                setattr(term, name, getattr(state, name))
            if term.pk is None:
                term.fill_keys()
                added.append(term)
            elif state.status == Term.Status.PREFERRED:
                promoted.append(term)
            else:
                demoted.append(term)
            if term.pk is None or before[key].quotes != state.quotes:
                relinked.append((term, state.quotes))
    links = Quote.terms.through
    links.objects.filter(term_id__in=[t.pk for t, _ in relinked if t.pk]).delete()
    Term.objects.filter(pk__in=stale).delete()
    # Demoted before promoted, so one preferred term per language holds at each step.
    Term.objects.bulk_update(demoted, TERM_FIELDS)
    Term.objects.bulk_update(promoted, TERM_FIELDS)
    Term.objects.bulk_create(added)
    links.objects.bulk_create(
        links(term_id=term.pk, quote_id=quote_ids[key])
        for term, keys in relinked
        for key in keys
    )


def _write_definitions(batch: list[_Plan]) -> None:
    stale, changed, added = [], [], []
    for plan in batch:
        before, after = plan.before.definitions, plan.after.definitions
        definitions = plan.concept.definitions.all() if before else []
        existing = {d.language: d for d in definitions}
        stale += [existing[language].pk for language in before.keys() - after.keys()]
        for language, (text, source) in after.items():
            if before.get(language) == (text, source):
                continue
            definition = existing.get(language) or Definition(
                concept=plan.concept, language=language
            )
            definition.text, definition.source = text, source
            (changed if definition.pk else added).append(definition)
    Definition.objects.filter(pk__in=stale).delete()
    Definition.objects.bulk_update(changed, ["text", "source"])
    Definition.objects.bulk_create(added)


def _write_relations(plans: list[_Plan]) -> None:
    ids = {plan.slug: plan.concept.pk for plan in plans}
    wanted = {target for plan in plans for _, target in plan.after.relations}
    for batch in _batches(sorted(wanted - ids.keys())):
        ids.update(Concept.objects.filter(slug__in=batch).values_list("slug", "pk"))
    added = []
    for plan in plans:
        before, after = plan.before.relations, plan.after.relations
        for kind, target in before - after:
            ConceptRelation.objects.filter(
                source=plan.concept, kind=kind, target__slug=target
            ).delete()
        added += [
            ConceptRelation(source=plan.concept, target_id=ids[target], kind=kind)
            for kind, target in after - before
        ]
    ConceptRelation.objects.bulk_create(added)
