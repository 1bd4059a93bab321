"""Writing planned concepts: one transaction, one revision, one glossary version.

Rows are written in batches (bulk inserts and updates), demotions before promotions so
the one-preferred-term constraint holds at every step; each changed concept's version
is raised, refused if it is no longer the one the entry was made from; the new state of
each is recorded in the history; the glossary version is raised once.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import StaleVersion
from ..models import (
    Concept,
    ConceptRelation,
    Definition,
    Quote,
    Term,
    bump_glossary_version,
)
from . import history
from .planning import Plan, QuoteFinder
from .state import TERM_FIELDS, QuoteKey, TermKey, batches

KEY_FIELDS = ("search_key", "loose_key", "pinyin_key", "match_key")
# Writes of at least this many concepts refresh the planner's statistics.
LARGE_WRITE = 100


def write(plans: list[Plan], quotes: QuoteFinder, *, progress=None) -> None:
    """Write the plans' changes; the caller opens the transaction and the revision."""
    for key, excerpt in quotes.new.items():
        document_id, start, end = key
        quote, _created = Quote.objects.get_or_create(
            document_id=document_id, start=start, end=end, defaults={"excerpt": excerpt}
        )
        quotes.ids[key] = quote.pk
    batch = []
    for plan in progress(plans) if progress else plans:
        batch.append(plan)
        if len(batch) == 500:
            _write_batch(batch, quotes.ids)
            batch = []
    _write_batch(batch, quotes.ids)
    _write_relations(plans)
    for plan in plans:
        history.record(plan.concept, plan.after)
    bump_glossary_version()


def _write_batch(batch: list[Plan], quote_ids: dict[QuoteKey, int]) -> None:
    new = [plan for plan in batch if plan.concept is None]
    created = Concept.objects.bulk_create(
        [
            Concept(**plan.after.fields, seed_digest=plan.entry.seed_digest or "")
            for plan in new
        ]
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
    now = timezone.now()
    # By identity: comparing plans (dataclasses) field by field made batches quadratic.
    new_ids = {id(plan) for plan in new}
    for plan in batch:
        if id(plan) in new_ids:
            continue
        concept, entry = plan.concept, plan.entry
        values = dict(plan.after.fields)
        if entry.seed_digest:
            values["seed_digest"] = entry.seed_digest
        # Only if it is still the version planned from (the one an editor's entry
        # was made from was checked then): whoever wrote in between is not undone.
        rows = Concept.objects.filter(pk=concept.pk, version=concept.version)
        if not rows.update(**values, version=F("version") + 1, updated=now):
            raise StaleVersion(
                _(
                    "%(slug)s was changed by someone else while this change was "
                    "being made; nothing was saved. Make the change again."
                )
                % {"slug": concept.slug},
                field="version",
            )
        for name, value in values.items():
            setattr(concept, name, value)
        concept.version += 1
        concept.updated = now
    _write_terms(batch, quote_ids)
    _write_definitions(batch)


def _write_terms(batch: list[Plan], quote_ids: dict[QuoteKey, int]) -> None:
    stale, demoted, promoted, added, relinked = [], [], [], [], []
    added_to: list[tuple[Plan, TermKey]] = []  # where each added term belongs
    for plan in batch:
        before, after = plan.before.terms, plan.after.terms
        # A concept created just now has no terms to read back.
        stored = {term.pk: term for term in plan.concept.terms.all()} if before else {}
        kept = {state.pk for state in after.values() if state.pk}
        stale += [pk for pk in stored if pk not in kept]
        for key, state in after.items():
            term = stored.get(state.pk) if state.pk else None
            previous = before.get((term.language, term.text)) if term else None
            if previous == state and (term.language, term.text) == key:
                continue
            term = term or Term(concept=plan.concept)
            term.language, term.text = key
            for name in TERM_FIELDS:
                setattr(term, name, getattr(state, name))
            term.fill_keys()
            if term.pk is None:
                added.append(term)
                added_to.append((plan, key))
            elif state.status == Term.Status.PREFERRED:
                promoted.append(term)
            else:
                demoted.append(term)
            if term.pk is None or previous is None or previous.quotes != state.quotes:
                relinked.append((term, state.quotes))
    _find_quote_ids({key for _, keys in relinked for key in keys}, quote_ids)
    links = Quote.terms.through
    links.objects.filter(term_id__in=[t.pk for t, _ in relinked if t.pk]).delete()
    Term.objects.filter(pk__in=stale).delete()
    # Demoted before promoted, so one preferred term per language holds at each step.
    fields = ["language", "text", *TERM_FIELDS, *KEY_FIELDS]
    Term.objects.bulk_update(demoted, fields)
    Term.objects.bulk_update(promoted, fields)
    Term.objects.bulk_create(added)
    # The recorded state names each term by its id, so a later merge finds a term
    # that someone renamed.
    for term, (plan, key) in zip(added, added_to, strict=True):
        plan.after.terms[key] = replace(plan.after.terms[key], pk=term.pk)
    links.objects.bulk_create(
        links(term_id=term.pk, quote_id=quote_ids[key])
        for term, keys in relinked
        for key in keys
    )


def _find_quote_ids(keys: set[QuoteKey], quote_ids: dict[QuoteKey, int]) -> None:
    """Add the ids of stored quotes the planner kept without reading (a term keeps
    the quotes it had when a context of its could not be linked)."""
    missing = keys - quote_ids.keys()
    if not missing:
        return
    documents = {document for document, _start, _end in missing}
    rows = Quote.objects.filter(document_id__in=documents).values_list(
        "pk", "document_id", "start", "end"
    )
    for pk, *key in rows:
        if tuple(key) in missing:
            quote_ids[tuple(key)] = pk


def _write_definitions(batch: list[Plan]) -> None:
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


def _write_relations(plans: list[Plan]) -> None:
    ids = {plan.slug: plan.concept.pk for plan in plans}
    wanted = {target for plan in plans for _, target in plan.after.relations}
    for batch in batches(sorted(wanted - ids.keys())):
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


def refresh_statistics() -> None:
    """Have SQLite measure its tables, as PostgreSQL's autovacuum does by itself.

    Without statistics SQLite's planner takes `language = ?` for the most selective
    condition and scans every term of a language instead of using the key indexes.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@contextmanager
def atomic_write(origin: history.Origin) -> Iterator[None]:
    """The transaction of one write, and its revision in the history."""
    with transaction.atomic(), history.recording(origin):
        yield
