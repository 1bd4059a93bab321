"""TBX: TBX-Basic v3 (ISO 30042:2019, DCA style) and legacy v2 (`martif`) files.

TBX-Basic has no data category for some of what the glossary holds, so those travel in
the categories it allows, in forms this module reads back exactly (and that a person
reading the file understands):

- concept kind and status: notes on the concept, `kind: place` and `status: approved`,
  always written before the concept's own note; `visibility: internal` after them on
  an internal concept (the default, public, goes unsaid, so importing an older file
  never makes an internal concept public);
- relation kind: the text of the `crossReference` (`broader`, `narrower`, `related`);
- term type `transliteration`: `termType` `variant` grouped with the note
  `transliteration` in a `termNoteGrp`;
- romanization: a term note holding only a `foreign` element in the Latin script
  (`<note><foreign xml:lang="zh-Latn-pinyin">Huò'ěrguǒsī</foreign></note>`);
- quotes: a `context` grouped with its document's citation as `source`;
- a definition in a language without terms: on the concept, with its `xml:lang`.

Readers parse incrementally and never load a DTD, expand an entity or touch the
network; a file that declares a DOCTYPE is refused before any of it is read.
"""

import itertools
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, time
from functools import cache
from typing import BinaryIO

from lxml import etree

from .. import languages
from ..entries import (
    ConceptEntry,
    ContextEntry,
    DefinitionEntry,
    Problem,
    RelationEntry,
    TermEntry,
)
from ..errors import UnsafeXml, UnsupportedFile
from ..models import Concept, ConceptRelation
from .xmlstream import Tag, XmlWriter, stream

NAMESPACE = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# TBX-Basic administrativeStatus picklist, by the glossary's term status.
STATUS_VALUES = {
    status: f"{status}Term-admn-sts"
    for status in ("preferred", "admitted", "deprecated", "superseded")
}
TERM_TYPES = ("fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase")
# TBX-Default's name for it, met in files from other tools.
TERM_TYPE_ALIASES = {"transliteratedForm": "transliteration"}
PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "other")
TRANSLITERATION = "transliteration"
INTERNAL = Concept.Visibility.INTERNAL

_LABELLED_NOTE = re.compile(r"(kind|status|visibility): ([a-z]+)")
# An NCName (xs:ID) starts with a letter or underscore; slugs may start with a digit or
# hyphen. Such slugs get a prefix no slug can hold ("." is not a slug character).
_ID_START = re.compile(r"[A-Za-z_]")
_ID_PREFIX = "_."

_DESCRIPTION = (
    "Exported from the diplomatic glossary (English, Kazakh, Chinese, Russian). "
    "TBX-Basic has no data category for some of its fields, so: the notes 'kind: …' "
    "and 'status: …' on a concept give its kind and status, and 'visibility: "
    "internal' marks a concept meant for the team only; the text of a "
    "crossReference is the kind of relation (broader, narrower, related); a "
    "termType 'variant' grouped with the note 'transliteration' is a "
    "transliteration; a term note holding only a Latin-script 'foreign' element is "
    "the term's romanization; a context's source is the citation of the document "
    "it is quoted from."
)


class _Dialect:
    """The element names and namespace of one TBX version."""

    def __init__(self, version: int) -> None:
        self.version = version
        self.namespace = NAMESPACE if version == 3 else None
        names = {
            3: ("tbx", "tbxHeader", "conceptEntry", "langSec", "termSec"),
            2: ("martif", "martifHeader", "termEntry", "langSet", "tig"),
        }[version]
        self.root, self.header, self.entry, self.language, self.term = names


def xml_id(slug: str) -> str:
    """The `conceptEntry/@id` of a slug: the slug itself, made a valid xs:ID."""
    return slug if _ID_START.match(slug) else _ID_PREFIX + slug


def slug_from_id(value: str) -> str:
    return value.removeprefix(_ID_PREFIX)


def romanization_tag(language: str) -> str:
    """The BCP 47 tag of a romanization of terms in a language: `zh-Latn-pinyin`."""
    info = languages.LANGUAGES[language]
    return (
        f"{info.language}-Latn-pinyin" if info.is_chinese else f"{info.language}-Latn"
    )


def _is_latin(tag: str) -> bool:
    return "latn" in tag.lower().split("-")[1:]


# Writing

_ADMINISTRATIVE_STATUS = Tag("termNote", {"type": "administrativeStatus"})
_TERM_TYPE = Tag("termNote", {"type": "termType"})
_PART_OF_SPEECH = Tag("termNote", {"type": "partOfSpeech"})
_SOURCE = Tag("admin", {"type": "source"})
_SUBJECT_FIELD = Tag("descrip", {"type": "subjectField"})
_TRANSACTION_TYPE = Tag("transac", {"type": "transactionType"})


@cache
def _section(name: str, language: str) -> Tag:
    """A langSec (langSet) of a language: there are a handful, each made once."""
    return Tag(name, {"xml:lang": language})


def write_tbx(entries: Iterable[ConceptEntry], *, version: int = 3) -> Iterator[bytes]:
    """TBX-Basic (v3, or v2 `martif` with version=2) as UTF-8 chunks.

    Relations are written as the entries hold them: give only those between the
    entries written, since a crossReference must point into the file.
    """
    dialect = _Dialect(version)
    return stream(lambda writer: _write_document(writer, dialect, entries))


def _write_document(w: XmlWriter, d: _Dialect, entries) -> Iterator[None]:
    attrib = {"xmlns": d.namespace} if d.namespace else {}
    attrib.update({"type": "TBX-Basic", "xml:lang": "en"})
    if d.version == 3:
        attrib["style"] = "dca"
    with w.element(d.root, attrib):
        with w.element(d.header):
            with w.element("fileDesc"):
                with w.element("titleStmt"):
                    w.leaf("title", "Diplomatic glossary")
                with w.element("sourceDesc"):
                    w.leaf("p", _DESCRIPTION)
            if d.version == 2:
                with w.element("encodingDesc"):
                    w.leaf("p", "TBXBasicXCSV02.xcs", {"type": "XCSURI"})
        # The core structure wants at least one entry in a body, so the body opens
        # with the first entry and an empty selection gives an empty <text>.
        with w.element("text"):
            entries = iter(entries)
            first = next(entries, None)
            if first is not None:
                with w.element("body"):
                    for entry in itertools.chain([first], entries):
                        _write_entry(w, d, entry)
                        yield
    yield


def _write_entry(w: XmlWriter, d: _Dialect, entry: ConceptEntry) -> None:
    by_language: dict[str, list[TermEntry]] = {}
    for term in entry.terms:
        by_language.setdefault(term.language, []).append(term)
    definitions = {definition.language: definition for definition in entry.definitions}
    with w.element(d.entry, {"id": xml_id(entry.slug)}):
        if entry.domain:
            w.leaf(_SUBJECT_FIELD, entry.domain)
        if entry.kind:
            w.leaf("note", f"kind: {entry.kind}")
        if entry.status:
            w.leaf("note", f"status: {entry.status}")
        if entry.visibility == INTERNAL:
            w.leaf("note", f"visibility: {entry.visibility}")
        if entry.note:
            w.leaf("note", entry.note)
        for language, definition in definitions.items():
            if language not in by_language:
                _write_definition(w, definition, {"xml:lang": language})
        for kind, date in (
            ("origination", entry.created),
            ("modification", entry.updated),
        ):
            if date is not None:
                with w.element("transacGrp"):
                    w.leaf(_TRANSACTION_TYPE, kind)
                    w.leaf("date", date.astimezone(UTC).isoformat())
        for relation in entry.relations:
            attrib = {"type": "crossReference", "target": xml_id(relation.target)}
            w.leaf("ref", relation.kind, attrib)
        for language, terms in by_language.items():
            with w.element(_section(d.language, language)):
                if language in definitions:
                    _write_definition(w, definitions[language], {})
                for term in terms:
                    _write_term(w, d, term)


def _write_definition(w: XmlWriter, definition: DefinitionEntry, attrib) -> None:
    attrib = {"type": "definition", **attrib}
    if not definition.source:
        w.leaf("descrip", definition.text, attrib)
        return
    with w.element("descripGrp"):
        w.leaf("descrip", definition.text, attrib)
        w.leaf(_SOURCE, definition.source)


def _write_term(w: XmlWriter, d: _Dialect, term: TermEntry) -> None:
    with w.element(d.term):
        w.leaf("term", term.text)
        w.leaf(_ADMINISTRATIVE_STATUS, STATUS_VALUES[term.status])
        if term.term_type == TRANSLITERATION:
            with w.element("termNoteGrp"):
                w.leaf(_TERM_TYPE, "variant")
                w.leaf("note", TRANSLITERATION)
        else:
            w.leaf(_TERM_TYPE, term.term_type)
        if term.part_of_speech:
            w.leaf(_PART_OF_SPEECH, term.part_of_speech)
        for context in term.contexts:
            attrib = {"type": "context"}
            if context.language:
                attrib["xml:lang"] = context.language
            with w.element("descripGrp"):
                w.leaf("descrip", context.excerpt, attrib)
                w.leaf(_SOURCE, context.source)
        if term.source:
            w.leaf(_SOURCE, term.source)
        if term.usage_note:
            w.leaf("note", term.usage_note)
        if term.romanization:
            tag = romanization_tag(term.language)
            w.wrapped("note", "foreign", term.romanization, {"xml:lang": tag})


# Reading

_ENTRIES = {"conceptEntry", "termEntry"}
_LANGUAGES = {"langSec", "langSet"}
_TERMS = {"termSec", "tig", "ntig"}


def read_tbx(source: BinaryIO) -> Iterator[ConceptEntry]:
    """The entries of a TBX v3 or v2 file, one at a time, parsed incrementally."""
    events = etree.iterparse(
        source,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    root_language = None
    try:
        for event, element in events:
            if root_language is None:
                root_language = _check_root(element)
            elif event == "end" and _local(element) in _ENTRIES:
                yield _read_entry(element, root_language)
                # Drop what was read, so memory stays flat however long the file.
                element.clear()
                parent = element.getparent()
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as error:
        raise UnsupportedFile(
            f"The file is not well-formed XML (line {error.lineno}: {error.msg}).",
            field="file",
        ) from None


def _local(element) -> str:
    return element.tag.rpartition("}")[2]


def _text(element) -> str:
    return "".join(element.itertext()).strip()


def _check_root(root) -> str:
    """The file's language; UnsafeXml or UnsupportedFile when it is no TBX to read."""
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.doctype:
        raise UnsafeXml(_doctype_problem(info), field="file")
    name = _local(root)
    if name not in ("tbx", "martif"):
        raise UnsupportedFile(
            f"This is not a TBX file: its root element is <{name}>, not <tbx> "
            "(TBX v3) or <martif> (TBX v2).",
            field="file",
        )
    if root.get("style") == "dct":
        raise UnsupportedFile(
            "TBX in DCT style is not read; export the termbase in DCA style.",
            field="file",
        )
    return root.get(XML_LANG) or "en"


def _doctype_problem(info) -> str:
    entities = list(info.internalDTD.iterentities()) if info.internalDTD else []
    refused = "TBX needs no DTD, so files that declare one are refused."
    if any(entity.system_url for entity in entities):
        return (
            "The file declares an external entity (<!ENTITY … SYSTEM …>), which "
            f"could read files or URLs from the server (XXE). {refused}"
        )
    if entities:
        return (
            "The file declares entities (<!ENTITY …>), which can expand without "
            f"bound (a 'billion laughs' attack). {refused}"
        )
    if info.system_url or info.public_id:
        return (
            f"The file refers to an external DTD ({info.system_url or info.public_id})"
            f", which would be fetched. {refused}"
        )
    return f"The file has a DOCTYPE declaration. {refused}"


def _ignore(entry: ConceptEntry, element) -> None:
    kind = element.get("type")
    name = f"{_local(element)} {kind}" if kind else _local(element)
    entry.ignored.append((name, element.sourceline))


def _unwrap(element, entry: ConceptEntry):
    """A data category and its source, from itself or from its `…Grp` element."""
    if not _local(element).endswith("Grp") or len(element) == 0:
        return element, ""
    main, *rest = element
    sources = []
    for child in rest:
        if _local(child) == "admin" and child.get("type") == "source":
            sources.append(_text(child))
        else:
            _ignore(entry, child)
    return main, "; ".join(sources)


def _read_entry(element, root_language: str) -> ConceptEntry:
    raw_id = element.get("id")
    entry = ConceptEntry(
        slug=slug_from_id(raw_id) if raw_id else None, line=element.sourceline
    )
    notes = []
    for child in element:
        name = _local(child)
        if name in _LANGUAGES:
            _read_language(child, entry)
        elif name == "note":
            text = _text(child)
            labelled = _LABELLED_NOTE.fullmatch(text)
            if labelled and getattr(entry, labelled[1]) is None:
                setattr(entry, labelled[1], labelled[2])
            elif text:
                notes.append(text)
        elif (
            name == "ref"
            and child.get("type") == "crossReference"
            and child.get("target")
        ):
            kind = _text(child)
            entry.relations.append(
                RelationEntry(
                    kind if kind in ConceptRelation.Kind.values else "related",
                    slug_from_id(child.get("target")),
                    child.sourceline,
                )
            )
        elif name == "transacGrp":
            _read_dates(child, entry)
        elif name in ("descrip", "descripGrp"):
            main, source = _unwrap(child, entry)
            kind = main.get("type")
            if kind == "subjectField" and entry.domain is None:
                entry.domain = _text(main)
            elif kind == "definition" and _text(main):
                entry.definitions.append(
                    DefinitionEntry(
                        main.get(XML_LANG) or root_language,
                        _text(main),
                        source,
                        main.sourceline,
                    )
                )
            else:
                _ignore(entry, main)
        else:
            _ignore(entry, child)
    if notes:
        entry.note = "\n\n".join(notes)
    return entry


def _read_dates(group, entry: ConceptEntry) -> None:
    kind = date = None
    for child in group:
        name = _local(child)
        if name == "transac" and child.get("type") == "transactionType":
            kind = _text(child)
        elif name == "date":
            date = _parse_date(_text(child))
        else:
            _ignore(entry, child)
    if kind == "origination" and date:
        entry.created = date
    elif kind == "modification" and date:
        entry.updated = date
    else:
        _ignore(entry, group)


def _parse_date(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else datetime.combine(parsed, time(), UTC)


def _read_language(element, entry: ConceptEntry) -> None:
    language = element.get(XML_LANG)
    if not language:
        entry.problems.append(
            Problem(element.sourceline, f"<{_local(element)}> has no xml:lang.")
        )
        return
    terms = []
    for child in element:
        name = _local(child)
        if name in _TERMS:
            term = _read_term(child, language, entry)
            if term is not None:
                terms.append(term)
        elif name in ("descrip", "descripGrp"):
            main, source = _unwrap(child, entry)
            if main.get("type") == "definition" and _text(main):
                entry.definitions.append(
                    DefinitionEntry(language, _text(main), source, main.sourceline)
                )
            else:
                _ignore(entry, main)
        else:
            _ignore(entry, child)
    # TBX leaves the status optional: without one, a language's first term is taken
    # as preferred unless another term is marked so, and the rest as admitted.
    preferred = any(term.status == "preferred" for term in terms)
    for term in terms:
        if not term.status:
            term.status = "admitted" if preferred else "preferred"
            preferred = True
    entry.terms.extend(terms)


def _read_term(element, language: str, entry: ConceptEntry) -> TermEntry | None:
    children = []
    for child in element:
        # TBX v2's <ntig> puts the term and its notes in a <termGrp>.
        children.extend(child if _local(child) == "termGrp" else [child])
    term = TermEntry(language, "", status="", line=element.sourceline)
    sources, notes = [], []
    for child in children:
        name = _local(child)
        if name == "term":
            term.text = _text(child)
        elif name == "termNote":
            _read_term_note(child, term, entry)
        elif name == "termNoteGrp" and len(child):
            main, *rest = child
            grouped = [_text(note) for note in rest if _local(note) == "note"]
            if _text(main) == "variant" and TRANSLITERATION in grouped:
                term.term_type = TRANSLITERATION
            else:
                _read_term_note(main, term, entry)
                for other in rest:
                    _ignore(entry, other)
        elif name in ("descrip", "descripGrp"):
            main, source = _unwrap(child, entry)
            if main.get("type") == "context" and _text(main):
                term.contexts.append(
                    ContextEntry(
                        _text(main), source, main.get(XML_LANG, ""), main.sourceline
                    )
                )
            else:
                _ignore(entry, main)
        elif name == "admin" and child.get("type") == "source":
            sources.append(_text(child))
        elif name == "note":
            romanization = _romanization(child)
            if romanization and not term.romanization:
                term.romanization = romanization
            elif _text(child):
                notes.append(_text(child))
        else:
            _ignore(entry, child)
    if not term.text:
        entry.problems.append(
            Problem(element.sourceline, f"<{_local(element)}> holds no term.")
        )
        return None
    term.source = "; ".join(sources)
    term.usage_note = "\n\n".join(notes)
    return term


def _read_term_note(note, term: TermEntry, entry: ConceptEntry) -> None:
    kind, value = note.get("type"), _text(note)
    if kind == "administrativeStatus":
        status = value.removesuffix("Term-admn-sts")
        if status in STATUS_VALUES:
            term.status = status
        else:
            entry.problems.append(
                Problem(
                    note.sourceline,
                    f"administrativeStatus {value!r} is not one of "
                    f"{', '.join(STATUS_VALUES.values())}.",
                )
            )
    elif kind == "termType" and TERM_TYPE_ALIASES.get(value, value) in (
        *TERM_TYPES,
        TRANSLITERATION,
    ):
        term.term_type = TERM_TYPE_ALIASES.get(value, value)
    elif kind == "partOfSpeech" and value in PARTS_OF_SPEECH:
        term.part_of_speech = value
    else:
        _ignore(entry, note)


def _romanization(note) -> str:
    """The text of a note that holds only a Latin-script `foreign` element, or ""."""
    if len(note) != 1 or (note.text or "").strip():
        return ""
    foreign = note[0]
    if _local(foreign) != "foreign" or (foreign.tail or "").strip():
        return ""
    return _text(foreign) if _is_latin(foreign.get(XML_LANG, "")) else ""
