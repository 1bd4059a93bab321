"""Reading terms_seed/ (source documents and concept YAML) into entries for the write
service, which checks and writes them.

The load is all-or-nothing and idempotent: every file is read before anything is
written, and the write service checks every entry before it writes them in one
transaction. An entry carries the fingerprint of its YAML, so one already loaded is
skipped (edits made in the admin survive a reload of an unchanged seed) while a changed
entry replaces the concept of its slug. The seed is evidence, so what an import would
only warn of (a quote that is not verbatim, a relation to no concept) is an error here.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from . import editing, languages, normalize
from .entries import (
    ConceptEntry,
    ContextEntry,
    DefinitionEntry,
    RelationEntry,
    TermEntry,
)
from .errors import ConceptRejected, SeedError, UnknownLanguage
from .models import RevisionOrigin, Term

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


def _read_terms(where: str, data: Any) -> list[TermEntry]:
    if not isinstance(data, dict) or not data:
        raise _fail(where, "'terms' must map language tags to lists of terms")
    terms = []
    for raw_language, items in data.items():
        language = _language(where, raw_language)
        if not isinstance(items, list):
            raise _fail(where, f"terms in {raw_language} must be a list")
        for item in items:
            item = {"text": item} if isinstance(item, str) else item
            _check_keys(f"{where} [{language}]", item, TERM_FIELDS, required=("text",))
            defaults = {"status": "preferred", "term_type": "fullForm"}
            terms.append(
                TermEntry(
                    language,
                    str(item["text"]).strip(),
                    *(
                        str(item.get(name) or defaults.get(name, "")).strip()
                        for name in Term.DESCRIPTIVE_FIELDS
                    ),
                )
            )
    return terms


def _read_quotes(where: str, data, terms: list[TermEntry]) -> None:
    """Give each term a context per quote attesting it (named, or found in it)."""
    for item in data or []:
        _check_keys(
            f"{where} quote", item, QUOTE_FIELDS, required=("document", "excerpt")
        )
        excerpt, document = item["excerpt"], str(item["document"])
        if item.get("terms"):
            named = [str(text) for text in item["terms"]]
            attested = [term for term in terms if term.text in named]
            missing = set(named) - {term.text for term in attested}
            if missing:
                raise _fail(
                    where,
                    f"quote names term(s) the concept lacks: {', '.join(missing)}",
                )
        else:
            attested = [t for t in terms if normalize.find_span(excerpt, t.text)]
            if not attested:
                raise _fail(
                    where,
                    f"no term of the concept occurs in the quote {excerpt!r}; "
                    "name the terms it attests with 'terms'",
                )
        for term in attested:
            term.contexts.append(ContextEntry(excerpt, document))


def _read_concept(path: Path, data: Any) -> ConceptEntry:
    slug = data.get("slug", "(no slug)") if isinstance(data, dict) else repr(data)
    where = f"{path.name}: {slug}"
    _check_keys(where, data, CONCEPT_FIELDS, required=("slug", "kind", "terms"))
    terms = _read_terms(where, data["terms"])
    definitions = []
    for raw_language, item in (data.get("definitions") or {}).items():
        item = {"text": item} if isinstance(item, str) else item
        _check_keys(f"{where} definition", item, {"text", "source"}, required=("text",))
        definitions.append(
            DefinitionEntry(
                _language(where, raw_language),
                str(item["text"]).strip(),
                str(item.get("source") or ""),
            )
        )
    relations = []
    for item in data.get("relations") or []:
        _check_keys(
            f"{where} relation", item, RELATION_FIELDS, required=("kind", "target")
        )
        relations.append(RelationEntry(str(item["kind"]), str(item["target"])))
    _read_quotes(where, data.get("quotes"), terms)
    digest = hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()
    return ConceptEntry(
        str(data["slug"]),
        kind=str(data["kind"]),
        status=str(data.get("status") or "draft"),
        domain=str(data.get("domain") or ""),
        note=str(data.get("note") or "").strip(),
        terms=terms,
        definitions=definitions,
        relations=relations,
        whole=True,
        seed_digest=digest,
    )


def read_concepts(root: Path) -> list[tuple[str, ConceptEntry]]:
    """Every concept entry of every YAML file, in file order, each with its place."""
    entries: list[tuple[str, ConceptEntry]] = []
    where_slug: dict[str, str] = {}
    for path in sorted((root / "concepts").glob("*.yaml")):
        data = _read_yaml(path)
        if data is None:
            continue
        if not isinstance(data, list):
            raise _fail(path.name, "expected a list of concepts")
        for item in data:
            entry = _read_concept(path, item)
            where = f"{path.name}: {entry.slug}"
            if entry.slug in where_slug:
                raise _fail(where, f"slug already used in {where_slug[entry.slug]}")
            where_slug[entry.slug] = path.name
            entries.append((where, entry))
    return entries


# What an import reports as a warning and the seed, which is evidence, refuses.
_REFUSED_WARNINGS = frozenset({"unlinked_context", "unknown_target"})


def load_seed(root: Path | None = None) -> LoadSummary:
    """Load the seed folder, all or nothing; a SeedError names the file and entry."""
    root = Path(root or SEED_DIR)
    documents = read_documents(root)
    placed = read_concepts(root)
    where = {entry.slug: place for place, entry in placed}
    entries = [entry for _place, entry in placed]
    origin = editing.Origin(RevisionOrigin.Via.SEED)
    try:
        with transaction.atomic():
            editing.save_documents(list(documents.values()), origin=origin)
            report = editing.apply_entries(
                entries, origin=origin, refuse=_REFUSED_WARNINGS
            )
    except ConceptRejected as error:
        first = next(iter(error.report.of("conflict")), None)
        if first is None:
            raise _fail("seed", str(error)) from None
        raise _fail(where.get(first.id, "seed"), first.message) from None
    return LoadSummary(
        documents=len(documents),
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        terms=sum(len(entry.terms) for entry in entries),
        quotes=len(
            {
                (context.source, context.excerpt)
                for entry in entries
                for term in entry.terms
                for context in term.contexts
            }
        ),
    )
