"""Checks that keep the glossary's data honest, over the seed files or the database.

Each finding names where the entry lives (`places.yaml: khorgos`, or
`database: khorgos`) so an editor can go straight to it.
"""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pypinyin import Style, pinyin

from . import languages, normalize, seed
from .editing import rules
from .models import Concept, Term


@dataclass
class TermRecord:
    language: str
    text: str
    status: str
    romanization: str = ""


@dataclass
class QuoteRecord:
    document_text: str
    excerpt: str
    start: int
    end: int
    languages: list[str]  # the languages of the terms it attests


@dataclass
class ConceptRecord:
    where: str
    slug: str
    status: str
    terms: list[TermRecord] = field(default_factory=list)
    quotes: list[QuoteRecord] = field(default_factory=list)


@dataclass(frozen=True)
class Finding:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def records_from_seed(root: Path | None = None) -> list[ConceptRecord]:
    """The seed files as records (raises SeedError when a file cannot be read)."""
    root = Path(root or seed.SEED_DIR)
    documents = seed.read_documents(root)
    records = []
    for where, entry in seed.read_concepts(root):
        record = ConceptRecord(where, entry.slug, entry.status)
        record.terms = [
            TermRecord(t.language, t.text, t.status, t.romanization)
            for t in entry.terms
        ]
        quotes: dict[tuple[str, str], QuoteRecord] = {}
        for term in entry.terms:
            for context in term.contexts:
                key = (context.source, context.excerpt)
                if key not in quotes:
                    text = documents.get(context.source, {}).get("text", "")
                    try:
                        start, end = rules.locate_excerpt(text, context.excerpt)
                    except ValueError:
                        start = end = 0  # no span: reported as not the text there
                    quotes[key] = QuoteRecord(text, context.excerpt, start, end, [])
                quotes[key].languages.append(term.language)
        record.quotes = list(quotes.values())
        records.append(record)
    return records


def records_from_database() -> list[ConceptRecord]:
    """The concepts in the database as records."""
    records = []
    concepts = Concept.objects.prefetch_related("terms__quotes__document").order_by(
        "slug"
    )
    for concept in concepts:
        record = ConceptRecord(
            f"database: {concept.slug}", concept.slug, concept.status
        )
        quotes: dict[int, QuoteRecord] = {}
        for term in concept.terms.all():
            record.terms.append(
                TermRecord(term.language, term.text, term.status, term.romanization)
            )
            for quote in term.quotes.all():
                quotes.setdefault(
                    quote.pk,
                    QuoteRecord(
                        quote.document.text, quote.excerpt, quote.start, quote.end, []
                    ),
                ).languages.append(term.language)
        record.quotes = list(quotes.values())
        records.append(record)
    return records


def _preferred(record: ConceptRecord, language: str) -> TermRecord | None:
    return next(
        (
            t
            for t in record.terms
            if t.language == language and t.status == Term.Status.PREFERRED
        ),
        None,
    )


def check_quotes(record: ConceptRecord):
    if not any("en" in quote.languages for quote in record.quotes):
        yield "no quote attests the English form"
    for quote in record.quotes:
        if quote.document_text[quote.start : quote.end] != quote.excerpt:
            yield f"quote {quote.excerpt[:40]!r} is not the document's text there"


def check_complete(record: ConceptRecord):
    if record.status != Concept.Status.APPROVED:
        return
    missing = [tag for tag in languages.CORE_TAGS if _preferred(record, tag) is None]
    if missing:
        yield (
            f"approved, but has no preferred term in {', '.join(missing)}; "
            "add them or mark the concept draft"
        )


def check_kazakh_latin(record: ConceptRecord):
    cyrillic, latin = _preferred(record, "kk"), _preferred(record, "kk-Latn")
    if cyrillic is None or latin is None:
        return
    expected = normalize.kazakh_latin(cyrillic.text)
    if latin.text != expected:
        yield (
            f"kk-Latn {latin.text!r} does not follow the 2021 alphabet for "
            f"{cyrillic.text!r}: expected {expected!r}"
        )


def _toneless(romanization: str) -> str:
    """Pinyin without tones, spaces, apostrophes or dashes, ü as u (Huò'ěr → huoer)."""
    bare = "".join(
        char
        for char in unicodedata.normalize("NFD", romanization.casefold())
        if not unicodedata.combining(char)
    )
    # Punctuation is not spelled in pinyin: a full-width "，" matches a Latin ",".
    return "".join(
        char
        for char in bare
        if not char.isspace() and not unicodedata.category(char).startswith("P")
    )


def pinyin_agrees(characters: str, romanization: str) -> bool:
    """Whether some reading of each character spells the romanization (toneless)."""
    target = _toneless(romanization)
    readings = [
        [_toneless(option).replace("v", "u") for option in options]
        for options in pinyin(characters, style=Style.NORMAL, heteronym=True)
    ]
    # Dynamic programming over positions: polyphonic characters (行, 重) may be read
    # either way, so any combination of readings that spells the target counts.
    reachable = {0}
    for options in readings:
        reachable = {
            position + len(option)
            for position in reachable
            for option in options
            if target.startswith(option, position)
        }
        if not reachable:
            return False
    return len(target) in reachable


def check_pinyin(record: ConceptRecord):
    for term in record.terms:
        if not languages.LANGUAGES[term.language].is_chinese:
            continue
        if not term.romanization:
            yield f"Chinese term {term.text!r} has no pinyin romanization"
        elif not pinyin_agrees(term.text, term.romanization):
            suggestion = " ".join(
                options[0] for options in pinyin(term.text, style=Style.TONE)
            )
            yield (
                f"pinyin {term.romanization!r} does not match {term.text!r} "
                f"(pypinyin reads {suggestion!r})"
            )


CHECKS = (check_quotes, check_complete, check_kazakh_latin, check_pinyin)


def check_shared_preferred(records: list[ConceptRecord]):
    """Find concepts sharing a preferred term in one language: lookups can't tell."""
    owners: dict[tuple[str, str], list[ConceptRecord]] = defaultdict(list)
    for record in records:
        for term in record.terms:
            if term.status == Term.Status.PREFERRED:
                owners[(term.language, normalize.search_key(term.text))].append(record)
    for (language, _key), sharing in sorted(owners.items()):
        if len(sharing) > 1:
            others = ", ".join(r.slug for r in sharing[1:])
            yield Finding(
                sharing[0].where,
                f"shares its preferred {language} term with {others}",
            )


def check_glossary(records: list[ConceptRecord]) -> list[Finding]:
    """Every finding of every check over these records."""
    findings = [
        Finding(record.where, message)
        for record in records
        for check in CHECKS
        for message in check(record)
    ]
    findings.extend(check_shared_preferred(records))
    return findings
