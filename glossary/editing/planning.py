"""Working out what entries would change: checked, matched to concepts, compared.

Each entry is checked against the rules, matched to its concept (by slug, or by the
search key of its first preferred term), and turned into the concept's state after it;
comparing that with the state before makes the report (created, updated with each
change, unchanged, conflicts, warnings). A dry run stops here; the writer takes the
plans without conflicts.
"""

import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.text import slugify
from django.utils.translation import gettext as _

from .. import normalize
from ..entries import ConceptEntry, TermEntry, citation
from ..models import Concept, Quote, SourceDocument, Term
from . import rules
from .history import changes_since
from .state import (
    FIELDS,
    TERM_FIELDS,
    Change,
    ConceptState,
    QuoteKey,
    TermState,
    batches,
    changes,
    load_concepts,
    state_of,
    with_state,
)


@dataclass
class ReportItem:
    outcome: str  # created, updated, unchanged, conflict or warning
    id: str | None
    line: int | None
    message: str = ""
    code: str = ""
    field: str | None = None
    item: tuple[str, int] | None = None
    changes: list[Change] = dataclasses.field(default_factory=list)

    def __str__(self) -> str:
        where = " ".join(
            part
            for part in (self.id or "", f"(line {self.line})" if self.line else "")
            if part
        )
        return f"{where}: {self.message}" if where else self.message


@dataclass
class Report:
    """What a write did or would do: an item per entry, conflict and warning."""

    filename: str = ""
    file_format: str = ""
    dry_run: bool = False
    written: bool = False
    items: list[ReportItem] = field(default_factory=list)

    def add(self, outcome: str, slug, line, message: str = "", **details) -> None:
        self.items.append(ReportItem(outcome, slug, line, message, **details))

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
        name = self.filename or "the changes"
        if self.written:
            return f"Imported {name}: {counts}"
        return f"Dry run of {name}, nothing written: {counts}"


@dataclass
class Plan:
    entry: ConceptEntry
    slug: str = ""
    concept: Concept | None = None  # the existing concept, or the one created
    before: ConceptState = field(default_factory=ConceptState)
    after: ConceptState = field(default_factory=ConceptState)
    changed: list[str] = field(default_factory=list)


def plan_entries(
    entries: list[ConceptEntry], report: Report, *, default_kind: str
) -> tuple[list[Plan], "QuoteFinder"]:
    """The plans of the entries that can be written; the others become conflicts."""
    rules.canonical_languages(entries)
    quotes = QuoteFinder()
    plans = []
    for entry in entries:
        problems = rules.concept_problems(entry)
        for problem in problems:
            report.add(
                "conflict",
                entry.slug,
                problem.line,
                problem.message,
                code=problem.code,
                field=problem.field,
                item=problem.item,
            )
        if not problems:
            plans.append(Plan(entry, slug=entry.slug or ""))
    existing = load_concepts([plan.slug for plan in plans if plan.slug])
    edited = {
        concept.pk: concept
        for concept in with_state(
            Concept.objects.filter(pk__in=[p.entry.id for p in plans if p.entry.id])
        )
    }
    unmatched = [p for p in plans if not p.slug and not p.entry.new]
    ambiguous = set()
    for plan, slugs in _match_by_term(unmatched, existing):
        ambiguous.add(id(plan))
        report.add(
            "conflict",
            None,
            plan.entry.line,
            _(
                "its preferred term %(term)r is the preferred term of %(slugs)s; give "
                "the concept's id"
            )
            % {"term": _first_preferred(plan.entry)[1], "slugs": ", ".join(slugs)},
            code="ambiguous",
        )
    plans = [plan for plan in plans if id(plan) not in ambiguous]
    _new_slugs(
        [plan for plan in plans if not plan.slug],
        {plan.slug for plan in plans if plan.slug} | set(existing),
    )
    lines: dict[str, int | None] = {}  # the line of each slug's first entry
    kept = []
    for plan in plans:
        if plan.slug in lines:
            report.add(
                "conflict",
                plan.slug,
                plan.entry.line,
                _("the concept is in the file already (line %(line)s)")
                % {"line": lines[plan.slug]},
                code="duplicate",
            )
            continue
        lines[plan.slug] = plan.entry.line
        kept.append(plan)
    plans = kept
    known = set(lines) | existing_slugs(
        {r.target for plan in plans for r in plan.entry.relations} - set(lines)
    )
    without_kind = 0
    file_slugs = set(lines)  # once: a set per entry made large imports quadratic
    taken = existing_slugs(
        {p.slug for p in plans if p.entry.id is not None} - set(existing)
    ) | set(existing)
    kept = []
    for plan in plans:
        entry = plan.entry
        if entry.id is not None:
            plan.concept = edited.get(entry.id)
            if plan.concept is None:
                report.add(
                    "conflict",
                    plan.slug,
                    entry.line,
                    _("The concept was deleted meanwhile; nothing was saved."),
                    code="stale",
                )
                continue
            renamed_onto_another = plan.slug != plan.concept.slug and plan.slug in taken
        else:
            plan.concept = existing.get(plan.slug)
            renamed_onto_another = False
        # A slug belongs to one concept: a new one or a renamed one cannot take it.
        if renamed_onto_another or (plan.concept is not None and entry.new):
            report.add(
                "conflict",
                plan.slug,
                entry.line,
                _("Another concept has the slug %(slug)r; choose another one.")
                % {"slug": plan.slug},
                code="exists",
                field="slug",
            )
            continue
        if plan.concept is not None:
            if entry.seed_digest and entry.seed_digest == plan.concept.seed_digest:
                # A seed entry already applied: edits made since are left alone.
                report.add("unchanged", plan.slug, entry.line)
                continue
            if entry.version is not None and entry.version != plan.concept.version:
                report.add(
                    "conflict",
                    plan.slug,
                    entry.line,
                    stale_message(plan.concept, entry.version),
                    code="stale",
                    field="version",
                )
                continue
            plan.before = state_of(plan.concept)
        elif entry.kind is None:
            without_kind += 1
        plan.after = _after(plan, quotes, file_slugs, known, report, default_kind)
        plan.changed = _changed_parts(plan.before, plan.after)
        if plan.concept is None:
            report.add("created", plan.slug, entry.line)
        elif plan.changed or (
            entry.seed_digest and entry.seed_digest != plan.concept.seed_digest
        ):
            message = _("changes %(parts)s") % {"parts": ", ".join(plan.changed)}
            report.add(
                "updated",
                plan.slug,
                entry.line,
                message,
                changes=changes(plan.before, plan.after),
            )
            plan.changed = plan.changed or ["seed_digest"]
        else:
            report.add("unchanged", plan.slug, entry.line)
        kept.append(plan)
    plans = kept
    if without_kind:
        report.add(
            "warning",
            None,
            None,
            _(
                "%(count)d new concept(s) have no kind in the file and become "
                "'%(kind)s', draft; review them."
            )
            % {"count": without_kind, "kind": default_kind},
            code="no_kind",
        )
    _warn_duplicate_terms([plan for plan in plans if plan.changed], report)
    _report_ignored(entries, report)
    return plans, quotes


def stale_message(concept: Concept, opened: int) -> str:
    """Why an entry made from an older version of the concept is refused."""
    since, latest = changes_since(concept, opened)
    who = ""
    if latest is not None:
        who = _(" by %(user)s on %(date)s") % {
            "user": latest.user or _("someone"),
            "date": latest.date.strftime("%Y-%m-%d %H:%M"),
        }
    listed = "; ".join(str(change) for change in since[:12])
    more = len(since) - 12
    return _(
        "This concept was changed%(who)s after you opened it (version %(opened)d, now "
        "%(current)d)%(colon)s%(listed)s%(more)s. Nothing was saved; your input is "
        "kept. Check it against these changes and save again to apply it."
    ) % {
        "who": who,
        "opened": opened,
        "current": concept.version,
        "colon": ": " if listed else "",
        "listed": listed,
        "more": _(" and %(n)d more") % {"n": more} if more > 0 else "",
    }


def existing_slugs(slugs: set[str]) -> set[str]:
    found = set()
    for batch in batches(sorted(slugs)):
        found.update(
            Concept.objects.filter(slug__in=batch).values_list("slug", flat=True)
        )
    return found


def _first_preferred(entry: ConceptEntry) -> tuple[str, str] | None:
    return next(iter(entry.preferred().items()), None)


def _match_by_term(plans: list[Plan], existing: dict[str, Concept]):
    """Give entries without a slug the concept whose preferred term is their first.

    Terms are compared by search key, so KHORGOS and Khorgos. find Khorgos. Returns
    the (plan, slugs) of entries whose term several concepts prefer.
    """
    wanted = defaultdict(set)
    keys = {}
    for plan in plans:
        if first := _first_preferred(plan.entry):
            keys[id(plan)] = (first[0], normalize.search_key(first[1]))
            wanted[first[0]].add(keys[id(plan)][1])
    owners = defaultdict(set)
    for language, search_keys in wanted.items():
        for batch in batches(sorted(search_keys)):
            rows = Term.objects.filter(
                language=language, status=Term.Status.PREFERRED, search_key__in=batch
            ).values_list("search_key", "concept__slug")
            for key, slug in rows:
                owners[(language, key)].add(slug)
    ambiguous = []
    for plan in plans:
        slugs = owners.get(keys.get(id(plan)), set())
        if len(slugs) == 1:
            plan.slug = next(iter(slugs))
        elif slugs:
            ambiguous.append((plan, sorted(slugs)))
    existing.update(load_concepts([plan.slug for plan in plans if plan.slug]))
    return ambiguous


def _slug_base(entry: ConceptEntry) -> str:
    """A slug from the entry's English preferred term, or else its first one."""
    texts = sorted(entry.preferred().items(), key=lambda item: item[0] != "en")
    for _language, text in texts:
        # Cyrillic goes to the Kazakh Latin alphabet first, so it leaves letters.
        if base := slugify(normalize.kazakh_latin(text))[:90].strip("-"):
            return base
    return "concept"


def _new_slugs(plans: list[Plan], reserved: set[str]) -> None:
    """Slugs for new concepts, made from their terms, taken by nothing else."""
    bases = [_slug_base(plan.entry) for plan in plans]
    # One query for the likely candidates; a sixth variant is checked on its own.
    candidates = {f"{base}-{n}" for base in bases for n in range(2, 6)}
    taken = reserved | existing_slugs(candidates | set(bases))
    for plan, base in zip(plans, bases, strict=True):
        slug, n = base, 1
        while slug in taken or (n > 5 and existing_slugs({slug})):
            n += 1
            slug = f"{base}-{n}"
        plan.slug = slug
        taken.add(slug)


def _after(plan: Plan, quotes, file_slugs, known_slugs, report, default_kind):
    """The concept's state once the entry is written."""
    entry, after = plan.entry, plan.before.copy()
    if plan.concept is None:
        after.fields = {
            "slug": plan.slug,
            "kind": entry.kind or default_kind,
            "status": entry.status or Concept.Status.DRAFT,
            "visibility": entry.visibility or Concept.Visibility.PUBLIC,
            "domain": entry.domain or "",
            "note": entry.note or "",
        }
    else:
        for name in FIELDS:
            if getattr(entry, name) is not None:
                after.fields[name] = getattr(entry, name)
        after.fields["slug"] = plan.slug
    if entry.partial:
        for term in entry.terms:
            _make_preferred(after, term)
        return after
    by_pk = {state.pk: key for key, state in plan.before.terms.items()}
    if entry.whole:
        held = {key[0] for key in after.terms} | set(after.definitions)
    else:
        held = {term.language for term in entry.terms}
        held |= {definition.language for definition in entry.definitions}
    after.terms = {key: t for key, t in after.terms.items() if key[0] not in held}
    for term in entry.terms:
        key = (term.language, term.text)
        stored = by_pk.get(term.id) if term.id is not None else None
        stored = stored or (key if key in plan.before.terms else None)
        previous = plan.before.terms[stored] if stored else None
        if term.id is not None and not term.contexts and previous:
            linked, unlinked = set(previous.quotes), []
        else:
            linked, unlinked = quotes.keys(term)
        for line, message in unlinked:
            report.add("warning", plan.slug, line, message, code="unlinked_context")
        if unlinked and previous:
            linked |= previous.quotes
        after.terms[key] = TermState(
            *(getattr(term, name) for name in TERM_FIELDS),
            quotes=frozenset(linked),
            pk=previous.pk if previous else None,
        )
    after.definitions = {
        language: value
        for language, value in after.definitions.items()
        if language not in held
    }
    for definition in entry.definitions:
        after.definitions[definition.language] = (definition.text, definition.source)
    if entry.whole:
        after.relations = set()
    else:
        after.relations = {r for r in after.relations if r[1] not in file_slugs}
    itself = {plan.slug, plan.concept.slug if plan.concept else plan.slug}
    for index, relation in enumerate(entry.relations):
        if relation.target in itself:
            report.add(
                "conflict",
                plan.slug,
                relation.line,
                _("a relation to the concept itself"),
                code="invalid",
                field="target",
                item=("relations", index),
            )
        elif relation.target in known_slugs:
            after.relations.add((relation.kind, relation.target))
        else:
            report.add(
                "warning",
                plan.slug,
                relation.line,
                _(
                    "a relation to %(target)r, which is no concept in the file or the "
                    "glossary; left out"
                )
                % {"target": relation.target},
                code="unknown_target",
                field="target",
                item=("relations", index),
            )
    return after


def _make_preferred(state: ConceptState, term: TermEntry) -> None:
    key = (term.language, term.text)
    for other, other_state in list(state.terms.items()):
        if (
            other[0] == term.language
            and other != key
            and other_state.status == Term.Status.PREFERRED
        ):
            state.terms[other] = other_state.with_status(Term.Status.ADMITTED)
    current = state.terms.get(key)
    state.terms[key] = (
        current.with_status(Term.Status.PREFERRED)
        if current
        else TermState(Term.Status.PREFERRED)
    )


def _changed_parts(before: ConceptState, after: ConceptState) -> list[str]:
    changed = [name for name in FIELDS if before.fields.get(name) != after.fields[name]]
    for name in ("terms", "definitions", "relations"):
        if getattr(before, name) != getattr(after, name):
            changed.append(name)
    return changed


def _warn_duplicate_terms(plans: list[Plan], report: Report) -> None:
    """Warn of a new term whose search key another concept already has in its language.

    A warning, not a conflict: homonyms exist, but most such terms are a concept
    entered twice.
    """
    new_terms = defaultdict(list)  # (language, key) → [(plan, text)]
    for plan in plans:
        for language, text in plan.after.terms.keys() - plan.before.terms.keys():
            key = normalize.search_key(text)
            new_terms[(language, key)].append((plan, text))
    owners = defaultdict(set)
    by_language = defaultdict(set)
    for language, key in new_terms:
        by_language[language].add(key)
    for language, keys in by_language.items():
        for batch in batches(sorted(keys)):
            rows = Term.objects.filter(
                language=language, search_key__in=batch
            ).values_list("search_key", "concept__slug")
            for key, slug in rows:
                owners[(language, key)].add(slug)
    for (language, key), found in new_terms.items():
        in_file = {plan.slug for plan, _text in found}
        for plan, text in found:
            others = (owners[(language, key)] | in_file) - {plan.slug}
            if others:
                report.add(
                    "warning",
                    plan.slug,
                    plan.entry.line,
                    _(
                        "term %(text)r [%(language)s] is also a term of %(others)s; "
                        "check it is not the same concept"
                    )
                    % {
                        "text": text,
                        "language": language,
                        "others": ", ".join(sorted(others)),
                    },
                    code="duplicate_term",
                    field="text",
                )


def _report_ignored(entries: list[ConceptEntry], report: Report) -> None:
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
            _("%(name)s: the glossary has no field for it; %(count)d left out")
            % {"name": name, "count": count},
            code="ignored",
        )


class QuoteFinder:
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
                known = _("several documents") if documents else _("no document")
                unlinked.append(
                    (
                        context.line,
                        _(
                            "context %(short)r: %(known)s here is cited as "
                            "%(source)r, so it cannot be a quote; not linked"
                        )
                        % {"short": short, "known": known, "source": context.source},
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
                start, end = rules.locate_excerpt(
                    self._texts[document.pk], context.excerpt
                )
            except ValueError as error:
                unlinked.append(
                    (context.line, f"context {short!r} in {document.slug}: {error}")
                )
                continue
            self.new[(document.pk, start, end)] = context.excerpt
            linked.add((document.pk, start, end))
        return linked, unlinked
