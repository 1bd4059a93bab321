"""Reading terms_seed/ (source documents and concept YAML) into the database.

The load is all-or-nothing and idempotent: every file is read and checked before
anything is written, the writes run in one transaction, and an entry is only written
when its YAML differs from what was last loaded (so edits made in the admin survive a
reload of an unchanged seed, while a changed entry updates the concept of its slug).
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction

from . import languages, normalize
from .errors import SeedError, UnknownLanguage
from .models import (
    Concept,
    ConceptRelation,
    Definition,
    Quote,
    SourceDocument,
    Term,
    locate_excerpt,
)

SEED_DIR = Path(settings.BASE_DIR) / "terms_seed"

DOCUMENT_FIELDS = {
    "slug",
    "title",
    "speaker",
    "publisher",
    "published",
    "original_language",
    "language",
    "citation",
    "url",
    "sha256",
}
CONCEPT_FIELDS = {
    "slug",
    "kind",
    "domain",
    "status",
    "note",
    "definitions",
    "terms",
    "quotes",
    "relations",
}
TERM_FIELDS = {"text", *Term.DESCRIPTIVE_FIELDS}
QUOTE_FIELDS = {"document", "excerpt", "terms"}
RELATION_FIELDS = {"kind", "target"}


@dataclass
class LoadSummary:
    documents: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    terms: int = 0
    quotes: int = 0

    def __str__(self) -> str:
        return (
            f"Loaded {self.documents} documents and "
            f"{self.created + self.updated + self.unchanged} concepts "
            f"({self.created} created, {self.updated} updated, {self.unchanged} "
            f"unchanged; {self.terms} terms, {self.quotes} quotes)"
        )


@dataclass
class _QuoteEntry:
    document: str
    excerpt: str
    start: int
    end: int
    terms: list[tuple[str, str]]  # (language, text) of the terms it attests


@dataclass
class _ConceptEntry:
    path: Path
    values: dict[str, Any]
    terms: list[dict[str, Any]]
    definitions: list[dict[str, Any]]
    quotes: list[_QuoteEntry]
    relations: list[tuple[str, str]]
    digest: str
    where: str = field(init=False)

    def __post_init__(self) -> None:
        self.where = f"{self.path.name}: {self.values['slug']}"


def _fail(where: str, message: str) -> SeedError:
    return SeedError(f"{where}: {message}", field="seed")


def _check_keys(where: str, data: Any, allowed: set[str], *, required=()) -> None:
    if not isinstance(data, dict):
        raise _fail(where, f"expected a mapping, found {type(data).__name__}")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise _fail(
            where,
            f"unknown key(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(sorted(allowed))}",
        )
    for key in required:
        if data.get(key) in (None, ""):
            raise _fail(where, f"'{key}' is required")


def _choice(where: str, value: Any, choices, *, name: str) -> str:
    if value not in choices.values:
        raise _fail(
            where, f"{name} {value!r} is not one of {', '.join(choices.values)}"
        )
    return value


def _language(where: str, value: Any) -> str:
    try:
        return languages.resolve(str(value))
    except UnknownLanguage as error:
        raise _fail(where, str(error)) from None


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise _fail(path.name, f"not valid YAML: {error}") from None


def read_documents(root: Path) -> dict[str, dict[str, Any]]:
    """Each document's metadata and verbatim text, keyed by slug, checked."""
    documents: dict[str, dict[str, Any]] = {}
    for meta_path in sorted((root / "documents").glob("*.yaml")):
        meta = _read_yaml(meta_path)
        where = meta_path.name
        _check_keys(
            where, meta, DOCUMENT_FIELDS, required=("slug", "title", "language")
        )
        text_path = meta_path.with_suffix(".txt")
        if not text_path.exists():
            raise _fail(where, f"the text {text_path.name} is missing")
        raw = text_path.read_bytes()
        if meta.get("sha256") and hashlib.sha256(raw).hexdigest() != meta["sha256"]:
            raise _fail(
                where, f"{text_path.name} differs from the text received (sha256)"
            )
        meta = {key: value for key, value in meta.items() if key != "sha256"}
        meta["language"] = _language(where, meta["language"])
        if meta.get("original_language"):
            meta["original_language"] = _language(where, meta["original_language"])
        meta["published"] = str(meta.get("published") or "")
        meta["text"] = raw.decode("utf-8")
        if meta["slug"] in documents:
            raise _fail(where, f"document slug {meta['slug']!r} is used twice")
        documents[meta["slug"]] = meta
    return documents


def _read_terms(where: str, data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, dict) or not data:
        raise _fail(where, "'terms' must map language tags to lists of terms")
    terms, seen = [], set()
    for raw_language, items in data.items():
        language = _language(where, raw_language)
        if not isinstance(items, list):
            raise _fail(where, f"terms in {raw_language} must be a list")
        for item in items:
            item = {"text": item} if isinstance(item, str) else item
            _check_keys(f"{where} [{language}]", item, TERM_FIELDS, required=("text",))
            term = {
                "language": language,
                "text": str(item["text"]).strip(),
                "status": _choice(
                    where, item.get("status", "preferred"), Term.Status, name="status"
                ),
                "term_type": _choice(
                    where,
                    item.get("term_type", "fullForm"),
                    Term.TermType,
                    name="term_type",
                ),
                "part_of_speech": _choice(
                    where,
                    item.get("part_of_speech", ""),
                    Term.PartOfSpeech,
                    name="part_of_speech",
                )
                if item.get("part_of_speech")
                else "",
                **{
                    key: str(item.get(key) or "").strip()
                    for key in ("romanization", "usage_note", "source")
                },
            }
            if (language, term["text"]) in seen:
                raise _fail(
                    where, f"term {term['text']!r} [{language}] is listed twice"
                )
            seen.add((language, term["text"]))
            terms.append(term)
    for language in {term["language"] for term in terms}:
        preferred = [
            t["text"]
            for t in terms
            if t["language"] == language and t["status"] == "preferred"
        ]
        if len(preferred) > 1:
            raise _fail(
                where,
                f"more than one preferred term in {language}: {', '.join(preferred)}; "
                "mark all but one admitted",
            )
    return terms


def _read_quotes(where, data, terms, documents) -> list[_QuoteEntry]:
    quotes = []
    for item in data or []:
        _check_keys(
            f"{where} quote", item, QUOTE_FIELDS, required=("document", "excerpt")
        )
        document = documents.get(item["document"])
        if document is None:
            raise _fail(where, f"quote from unknown document {item['document']!r}")
        try:
            start, end = locate_excerpt(document["text"], item["excerpt"])
        except ValueError as error:
            raise _fail(where, f"quote {item['excerpt']!r}: {error}") from None
        if item.get("terms"):
            named = [str(text) for text in item["terms"]]
            attested = [(t["language"], t["text"]) for t in terms if t["text"] in named]
            missing = set(named) - {text for _, text in attested}
            if missing:
                raise _fail(
                    where,
                    f"quote names term(s) the concept lacks: {', '.join(missing)}",
                )
        else:
            attested = [
                (t["language"], t["text"])
                for t in terms
                if normalize.find_span(item["excerpt"], t["text"])
            ]
            if not attested:
                raise _fail(
                    where,
                    f"no term of the concept occurs in the quote {item['excerpt']!r}; "
                    "name the terms it attests with 'terms'",
                )
        quotes.append(
            _QuoteEntry(item["document"], item["excerpt"], start, end, attested)
        )
    return quotes


def _read_concept(path: Path, data: Any, documents) -> _ConceptEntry:
    slug = data.get("slug", "(no slug)") if isinstance(data, dict) else repr(data)
    where = f"{path.name}: {slug}"
    _check_keys(where, data, CONCEPT_FIELDS, required=("slug", "kind", "terms"))
    values = {
        "slug": str(data["slug"]),
        "kind": _choice(where, data["kind"], Concept.Kind, name="kind"),
        "domain": str(data.get("domain") or ""),
        "status": _choice(
            where, data.get("status", "draft"), Concept.Status, name="status"
        ),
        "note": str(data.get("note") or "").strip(),
    }
    terms = _read_terms(where, data["terms"])
    definitions = []
    for raw_language, item in (data.get("definitions") or {}).items():
        item = {"text": item} if isinstance(item, str) else item
        _check_keys(f"{where} definition", item, {"text", "source"}, required=("text",))
        definitions.append(
            {
                "language": _language(where, raw_language),
                "text": str(item["text"]).strip(),
                "source": str(item.get("source") or ""),
            }
        )
    relations = []
    for item in data.get("relations") or []:
        _check_keys(
            f"{where} relation", item, RELATION_FIELDS, required=("kind", "target")
        )
        kind = _choice(where, item["kind"], ConceptRelation.Kind, name="relation kind")
        relations.append((kind, str(item["target"])))
    quotes = _read_quotes(where, data.get("quotes"), terms, documents)
    digest = hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()
    return _ConceptEntry(path, values, terms, definitions, quotes, relations, digest)


def read_concepts(root: Path, documents) -> list[_ConceptEntry]:
    """Every concept entry of every YAML file, checked, in file order."""
    entries: list[_ConceptEntry] = []
    where_slug: dict[str, str] = {}
    for path in sorted((root / "concepts").glob("*.yaml")):
        data = _read_yaml(path)
        if data is None:
            continue
        if not isinstance(data, list):
            raise _fail(path.name, "expected a list of concepts")
        for item in data:
            entry = _read_concept(path, item, documents)
            slug = entry.values["slug"]
            if slug in where_slug:
                raise _fail(entry.where, f"slug already used in {where_slug[slug]}")
            where_slug[slug] = path.name
            entries.append(entry)
    for entry in entries:
        for _kind, target in entry.relations:
            if (
                target not in where_slug
                and not Concept.objects.filter(slug=target).exists()
            ):
                raise _fail(entry.where, f"relation to unknown concept {target!r}")
    return entries


def _update(instance, values: dict[str, Any]) -> bool:
    """Set changed attributes; return whether anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(instance, key) != value:
            setattr(instance, key, value)
            changed = True
    return changed


def _write_concept(entry: _ConceptEntry, document_ids: dict[str, int]) -> Concept:
    concept = Concept.objects.filter(slug=entry.values["slug"]).first()
    if concept is None:
        concept = Concept(**entry.values)
    else:
        _update(concept, entry.values)
    concept.seed_digest = entry.digest
    concept.save()

    # Demote before promoting, so the one-preferred constraint holds at every step.
    existing = {(t.language, t.text): t for t in concept.terms.all()}
    wanted = {(t["language"], t["text"]): t for t in entry.terms}
    concept.terms.exclude(
        pk__in=[existing[k].pk for k in wanted if k in existing]
    ).delete()
    for key, values in wanted.items():
        term = existing.get(key)
        if (
            term is not None
            and values["status"] != "preferred"
            and _update(term, values)
        ):
            term.save()
    terms = {}
    for key, values in wanted.items():
        term = existing.get(key) or Term(concept=concept)
        if _update(term, values) or term.pk is None:
            term.save()
        terms[key] = term

    concept.definitions.exclude(
        language__in=[d["language"] for d in entry.definitions]
    ).delete()
    for values in entry.definitions:
        Definition.objects.update_or_create(
            concept=concept, language=values["language"], defaults=values
        )

    attested_by: dict[tuple[str, str], list[Quote]] = {key: [] for key in terms}
    for item in entry.quotes:
        quote, _ = Quote.objects.get_or_create(
            document_id=document_ids[item.document],
            start=item.start,
            end=item.end,
            defaults={"excerpt": item.excerpt},
        )
        for key in item.terms:
            attested_by[key].append(quote)
    for key, term in terms.items():
        term.quotes.set(attested_by[key])
    return concept


def _write_relations(entry: _ConceptEntry, concepts: dict[str, Concept]) -> None:
    source = concepts[entry.values["slug"]]
    source.relations.all().delete()
    for kind, target in entry.relations:
        target_concept = concepts.get(target) or Concept.objects.get(slug=target)
        ConceptRelation.objects.create(source=source, target=target_concept, kind=kind)


def load_seed(root: Path | None = None) -> LoadSummary:
    """Load the seed folder, all or nothing; a SeedError names the file and entry."""
    root = Path(root or SEED_DIR)
    documents = read_documents(root)
    entries = read_concepts(root, documents)
    summary = LoadSummary(documents=len(documents))
    where = "documents"
    try:
        with transaction.atomic():
            document_ids = {}
            for slug, meta in documents.items():
                document, _ = SourceDocument.objects.get_or_create(
                    slug=slug, defaults=meta
                )
                if _update(document, meta):
                    document.save()
                document_ids[slug] = document.pk
            digests = dict(Concept.objects.values_list("slug", "seed_digest"))
            concepts: dict[str, Concept] = {}
            changed = []
            for entry in entries:
                where = entry.where
                slug = entry.values["slug"]
                if digests.get(slug) == entry.digest:
                    summary.unchanged += 1
                    continue
                if slug in digests:
                    summary.updated += 1
                else:
                    summary.created += 1
                concepts[slug] = _write_concept(entry, document_ids)
                changed.append(entry)
            for entry in changed:
                where = entry.where
                _write_relations(entry, concepts)
    except (IntegrityError, DatabaseError) as error:
        raise _fail(where, f"the database refused it: {error}") from None
    summary.terms = sum(len(entry.terms) for entry in entries)
    summary.quotes = len({(q.document, q.start) for e in entries for q in e.quotes})
    if summary.created or summary.updated:
        refresh_statistics()
    return summary


def refresh_statistics() -> None:
    """Have SQLite measure its tables, as PostgreSQL's autovacuum does by itself.

    Without statistics SQLite's planner takes `language = ?` for the most selective
    condition and scans every term of a language instead of using the key indexes.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
