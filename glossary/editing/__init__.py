"""The one write path: every change to concepts, terms, definitions, quotes, relations.

The admin, the API, the importer and the seed loader hand entries (glossary.entries)
here; this package checks them against the rules (rules.py), works out what they change
(planning.py), writes them in one transaction (writing.py), records who changed what
through which path (history.py) and raises the glossary version. Nothing else writes
these models.
"""

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..entries import (
    ConceptEntry,
    ContextEntry,
    DefinitionEntry,
    RelationEntry,
    TermEntry,
)
from ..errors import (
    ConceptRejected,
    GlossaryError,
    NotFound,
    PermissionRefused,
    StaleVersion,
)
from ..models import (
    Concept,
    Quote,
    RevisionOrigin,
    SourceDocument,
    Term,
    bump_glossary_version,
)
from ..permissions import Action
from . import history, rules
from .history import (
    Origin,
    Snapshot,
    changes_since,
    concept_history,
    history_with_changes,
    state_at,
)
from .planning import Report, ReportItem, plan_entries
from .state import TERM_FIELDS, Change, ConceptState, changes, state_of, with_state
from .writing import LARGE_WRITE, atomic_write, refresh_statistics, write

__all__ = [
    "Change",
    "ConceptState",
    "Origin",
    "Report",
    "ReportItem",
    "Snapshot",
    "apply_entries",
    "changes",
    "changes_since",
    "check_concept",
    "concept_history",
    "concept_state",
    "delete_concept",
    "delete_quote",
    "delete_document",
    "delete_term",
    "entry_from_state",
    "entry_with_term",
    "history_with_changes",
    "quote_span",
    "revert_concept",
    "save_concept",
    "save_documents",
    "save_quote",
    "state_at",
    "transition",
    "save_document",
]

Via = RevisionOrigin.Via
DEFAULT_KIND = Concept.Kind.PHRASE


def apply_entries(
    entries: list[ConceptEntry],
    *,
    origin: Origin,
    dry_run: bool = False,
    default_kind: str = DEFAULT_KIND,
    progress=None,
    report: Report | None = None,
    refuse: frozenset[str] = frozenset(),
) -> Report:
    """Check entries and write them all, or nothing; or report what they would do.

    Raises UnknownLanguage for tags no language has, and ConceptRejected, carrying
    the report, when an entry breaks a rule (a dry run reports it instead). `refuse`
    names warnings (by code) that are conflicts for this writer.
    """
    report = report or Report(dry_run=dry_run)
    report.dry_run = dry_run
    plans, quotes = plan_entries(entries, report, default_kind=default_kind)
    for item in report.items:
        if item.outcome == "warning" and item.code in refuse:
            item.outcome = "conflict"
    _check_permissions(plans, origin, report)
    if report.conflicts:
        if dry_run:
            return report
        first = report.of("conflict")[0]
        if first.code == "forbidden":
            raise PermissionRefused(first.message, field=first.field)
        raise ConceptRejected(_rejection(report), report=report, field=first.field)
    if dry_run:
        return report
    changed = [plan for plan in plans if plan.changed]
    if changed:
        try:
            with atomic_write(origin):
                write(changed, quotes, progress=progress)
        except DatabaseError as error:
            raise ConceptRejected(
                _("The database refused the change (%(error)s); nothing was written.")
                % {"error": error},
                report=report,
            ) from None
        if origin.via in (Via.IMPORT, Via.SEED) or len(changed) >= LARGE_WRITE:
            refresh_statistics()
    report.written = True
    return report


# Changes a person makes one concept at a time, checked against their role.
_BY_PERSON = (Via.ADMIN, Via.API, Via.REVERT)


def _check_permissions(plans, origin: Origin, report: Report) -> None:
    """Conflicts for what the origin's user may not do; files need the import right."""
    if origin.via == Via.IMPORT and origin.user is not None:
        if reason := permissions.refusal(origin.user, Action.IMPORT):
            report.add("conflict", None, None, reason, code="forbidden")
        return
    if origin.via not in _BY_PERSON:
        return
    for plan in plans:
        concept, entry = plan.concept, plan.entry
        action = Action.CREATE if concept is None else Action.EDIT
        reason = permissions.refusal(origin.user, action, concept)
        current = concept.status if concept else Concept.Status.DRAFT
        if reason is None and entry.status not in (None, current):
            reason = _(
                "The status changes through the workflow (submit, approve, return, "
                "retire), not by editing it."
            )
        if reason:
            report.add(
                "conflict", plan.slug, None, reason, code="forbidden", field="status"
            )


def _rejection(report: Report) -> str:
    conflicts = report.of("conflict")
    listed = "; ".join(str(item) for item in conflicts[:10])
    more = f"; and {len(conflicts) - 10} more" if len(conflicts) > 10 else ""
    return _("Nothing was written: %(count)d conflict(s). %(listed)s%(more)s.") % {
        "count": len(conflicts),
        "listed": listed,
        "more": more,
    }


def check_concept(entry: ConceptEntry, *, origin: Origin) -> Report:
    """What saving one entry would do, and every problem it has; writes nothing."""
    return apply_entries([entry], origin=origin, dry_run=True)


def save_concept(
    entry: ConceptEntry, *, origin: Origin, refuse: frozenset[str] = frozenset()
) -> tuple[Concept, Report]:
    """Write one concept; ConceptRejected names the first problem and its field.

    `refuse` names warnings (by code) that are conflicts for this writer.
    """
    report = Report()
    try:
        apply_entries([entry], origin=origin, report=report, refuse=refuse)
    except ConceptRejected as error:
        conflicts = error.report.of("conflict")
        if len(conflicts) == 1:
            raise ConceptRejected(
                conflicts[0].message, report=error.report, field=conflicts[0].field
            ) from None
        raise
    slug = next(item.id for item in report.items if item.outcome != "warning")
    return Concept.objects.get(slug=slug), report


def concept_state(concept: Concept) -> ConceptState:
    """The concept's state as stored now."""
    return state_of(with_state(Concept.objects.filter(pk=concept.pk)).get())


def entry_from_state(
    concept: Concept,
    state: ConceptState,
    *,
    version: int | None,
    restore_quotes=False,
) -> ConceptEntry:
    """A whole entry that writes this state into the concept; the terms' quotes kept,
    or restored from the state."""
    documents = {}
    if restore_quotes:
        ids = {key[0] for term in state.terms.values() for key in term.quotes}
        documents = {
            document.pk: document
            for document in SourceDocument.objects.filter(pk__in=ids).only(
                "slug", "text"
            )
        }
    terms = []
    for (language, text), term in state.terms.items():
        contexts = [
            ContextEntry(documents[document].text[start:end], documents[document].slug)
            for document, start, end in sorted(term.quotes)
            if document in documents
        ]
        terms.append(
            TermEntry(
                language,
                text,
                *(getattr(term, name) for name in TERM_FIELDS),
                contexts=contexts,
                id=None if restore_quotes else term.pk,
            )
        )
    return ConceptEntry(
        **state.fields,
        terms=terms,
        definitions=[
            DefinitionEntry(language, text, source)
            for language, (text, source) in state.definitions.items()
        ],
        relations=[RelationEntry(kind, target) for kind, target in state.relations],
        whole=True,
        version=version,
        id=concept.pk,
    )


def revert_concept(
    concept: Concept, version_id: int, *, origin: Origin
) -> tuple[Concept, Report]:
    """Write the state a recorded version held, as a new change through every rule."""
    recorded = history.snapshot(concept, version_id)
    if recorded is None:
        raise NotFound(
            _("Version %(id)s is no version of %(slug)s.")
            % {"id": version_id, "slug": concept.slug},
            field="version",
        )
    entry = entry_from_state(
        concept, recorded.state, version=concept.version, restore_quotes=True
    )
    # A revert restores what the concept says; where it stands in review is the
    # workflow's.
    entry.status = concept.status
    detail = _("reverted to version %(number)d") % {"number": recorded.number}
    return save_concept(entry, origin=Origin(Via.REVERT, origin.user, detail))


Status = Concept.Status
TRANSITIONS = permissions.TRANSITIONS


def transition(
    concept: Concept,
    to: str,
    *,
    origin: Origin,
    comment: str = "",
    seen_version: int | None = None,
) -> Concept:
    """Move a concept along the workflow, as the origin's user's role allows.

    Submitting records who submitted (who then may not approve it), approving who
    approved and when; going back to draft needs a reason. Each move is a version in
    the history with its comment. With `seen_version`, the version the reviewer
    saw, a concept changed since is refused rather than approved unseen.
    """
    action = TRANSITIONS.get((concept.status, to))
    if action is None:
        raise GlossaryError(
            _("A concept that is %(status)s cannot become %(to)s.")
            % {"status": concept.get_status_display(), "to": Status(to).label},
            field="status",
        )
    permissions.check(origin.user, action, concept)
    if seen_version is not None and seen_version != concept.version:
        raise StaleVersion(
            _(
                "%(slug)s changed after you looked at it (version %(seen)d, now "
                "%(now)d); look at the changes again."
            )
            % {"slug": concept.slug, "seen": seen_version, "now": concept.version},
            field="version",
        )
    comment = comment.strip()
    if action is Action.RETURN and not comment:
        raise GlossaryError(
            _("Say why the concept goes back to draft."), field="comment"
        )
    values = {"status": to}
    user = origin.recorded_user
    if action is Action.SUBMIT:
        values["submitted_by"] = user
    elif action is Action.APPROVE:
        values.update(approved_by=user, approved_at=timezone.now())
    elif action is Action.RETURN:
        values["submitted_by"] = None
    with atomic_write(origin):
        rows = Concept.objects.filter(pk=concept.pk, version=concept.version)
        if not rows.update(**values, version=F("version") + 1, updated=timezone.now()):
            raise StaleVersion(
                _("%(slug)s was changed meanwhile; open it again.")
                % {"slug": concept.slug},
                field="version",
            )
        concept.refresh_from_db()
        label = Status(to).label
        history.set_comment(f"{label}: {comment}" if comment else str(label))
        history.record(concept, concept_state(concept))
        bump_glossary_version()
    return concept


def delete_concept(concept: Concept, *, origin: Origin) -> None:
    """Delete a concept with all it holds; its last state stays in the history."""
    if origin.via in _BY_PERSON:
        permissions.check(origin.user, Action.DELETE, concept)
    # Concepts related to it lose that relation: they are changed too.
    related = set(concept.incoming_relations.values_list("source_id", flat=True)) - {
        concept.pk
    }
    with transaction.atomic():
        # Its last state is recorded before it goes: a revision keeps only versions
        # of objects that exist when it is saved.
        with history.recording(origin):
            history.set_comment(_("deleted"))
            history.record(concept, concept_state(concept))
        concept.delete()
        with history.recording(origin):
            _record_concepts(related)
        bump_glossary_version()


def entry_with_term(
    values: dict, *, concept: Concept, term: Term | None = None
) -> ConceptEntry:
    """The concept's whole entry with a term added, or one of its terms changed.

    The new or changed term is the entry's last.
    """
    entry = entry_from_state(concept, concept_state(concept), version=concept.version)
    if term is not None:
        entry.terms = [t for t in entry.terms if t.id != term.pk]
    entry.terms.append(
        TermEntry(
            values["language"],
            values["text"],
            *(values.get(name) or "" for name in TERM_FIELDS),
            id=term.pk if term is not None else None,
        )
    )
    return entry


def delete_term(term: Term, *, origin: Origin) -> tuple[Concept, Report]:
    """Remove one term, through the concept's rules (a concept keeps one term)."""
    concept = term.concept
    entry = entry_from_state(concept, concept_state(concept), version=concept.version)
    entry.terms = [t for t in entry.terms if t.id != term.pk]
    return save_concept(entry, origin=origin)


def _check_attestations(concept_ids: set[int], origin: Origin) -> None:
    """Quotes attest concepts: changing them is editing those concepts."""
    if origin.via in _BY_PERSON:
        for concept in Concept.objects.filter(pk__in=concept_ids):
            permissions.check(origin.user, Action.EDIT, concept)


def _record_concepts(concept_ids: set[int]) -> None:
    """Raise the versions of concepts whose attestations changed and record them."""
    if not concept_ids:
        return
    Concept.objects.filter(pk__in=concept_ids).update(
        version=F("version") + 1, updated=timezone.now()
    )
    for concept in with_state(Concept.objects.filter(pk__in=concept_ids)):
        history.record(concept, state_of(concept))


def quote_span(
    document: SourceDocument, excerpt: str, start: int | None, end: int | None
) -> tuple[int, int]:
    """The offsets of a quote: checked when given, found from the excerpt when not.

    Raises GlossaryError naming the field: an excerpt that is not the document's text
    at its offsets, or that occurs more than once when no offsets are given.
    """
    if (start is None) != (end is None):
        raise GlossaryError(
            _("Give both offsets, or neither to find them from the excerpt."),
            field="end" if end is None else "start",
        )
    if start is None:
        try:
            return rules.locate_excerpt(document.text, excerpt)
        except ValueError as error:
            raise GlossaryError(str(error), field="excerpt") from None
    if message := rules.excerpt_error(document.text, excerpt, start, end):
        raise GlossaryError(message, field="excerpt")
    return start, end


def save_quote(
    *,
    document: SourceDocument,
    excerpt: str,
    start: int | None = None,
    end: int | None = None,
    terms: list[Term] = (),
    quote: Quote | None = None,
    origin: Origin,
) -> Quote:
    """Store a verbatim excerpt and the terms it attests; see quote_span."""
    start, end = quote_span(document, excerpt, start, end)
    quote = quote or Quote()
    before = (
        set(quote.terms.values_list("concept_id", flat=True)) if quote.pk else set()
    )
    quote.document, quote.excerpt = document, excerpt
    quote.start, quote.end = start, end
    affected = before | {term.concept_id for term in terms}
    _check_attestations(affected, origin)
    with atomic_write(origin):
        quote.save()
        quote.terms.set(terms)
        history.record(quote)
        _record_concepts(affected)
        bump_glossary_version()
    return quote


def delete_quote(quote: Quote, *, origin: Origin) -> None:
    concepts = set(quote.terms.values_list("concept_id", flat=True))
    _check_attestations(concepts, origin)
    with atomic_write(origin):
        quote.delete()
        _record_concepts(concepts)
        bump_glossary_version()


def delete_document(document: SourceDocument, *, origin: Origin) -> None:
    """Delete a document with its quotes; the concepts they attested are recorded."""
    concepts = set(
        Term.objects.filter(quotes__document=document).values_list(
            "concept_id", flat=True
        )
    )
    _check_attestations(concepts, origin)
    with atomic_write(origin):
        document.delete()
        _record_concepts(concepts)
        bump_glossary_version()


def save_documents(documents: list[dict], *, origin: Origin) -> dict[str, int]:
    """Create or update source documents by slug; a quoted text never changes.

    Returns the id of each document by slug.
    """
    ids = {}
    with atomic_write(origin):
        for values in documents:
            document = save_document(values, origin=None)
            ids[document.slug] = document.pk
        bump_glossary_version()
    return ids


def save_document(
    values: dict, *, document: SourceDocument | None = None, origin: Origin | None
) -> SourceDocument:
    """Create or change one source document (by slug when none is given).

    Its text is evidence: once a quote cites it, a changed text is refused, since it
    would move every quote's offsets.
    """
    if document is None:
        document = SourceDocument.objects.filter(slug=values["slug"]).first()
    document = document or SourceDocument()
    if (
        document.pk
        and "text" in values
        and values["text"] != document.text
        and document.quotes.exists()
    ):
        raise GlossaryError(
            _(
                "The text of %(slug)s is quoted; it cannot change, since every "
                "quote's offsets point into it."
            )
            % {"slug": document.slug},
            field="text",
        )
    changed = document.pk is None
    for name, value in values.items():
        if getattr(document, name) != value:
            setattr(document, name, value)
            changed = True
    if not changed:
        return document
    if origin is None:  # within save_documents' write
        document.save()
        history.record(document)
        return document
    with atomic_write(origin):
        document.save()
        history.record(document)
        bump_glossary_version()
    return document
