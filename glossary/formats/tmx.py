"""TMX 1.4b: the glossary as a translation memory, one translation unit per concept."""

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from functools import cache

from ..entries import ConceptEntry, TermEntry
from .tbx import STATUS_VALUES
from .xmlstream import Tag, XmlWriter, stream

CREATION_TOOL = "diplomatic-glossary"
CREATION_TOOL_VERSION = "0.1.0"

_ADMINISTRATIVE_STATUS = Tag("prop", {"type": "x-administrativeStatus"})


@cache
def _variant(language: str) -> Tag:
    """A tuv of a language: there are a handful, each made once."""
    return Tag("tuv", {"xml:lang": language})


def write_tmx(
    entries: Iterable[ConceptEntry],
    *,
    source_language: str,
    admitted: bool = False,
    created: datetime,
) -> Iterator[bytes]:
    """TMX as UTF-8 chunks: per concept a unit (`tuid` = slug) of its preferred terms.

    With `admitted`, each admitted term gets a unit of its own too (`tuid` slug/2,
    slug/3…), pairing it with the preferred terms of the other languages. Units with
    fewer than two languages are left out: they translate nothing.
    """
    return stream(
        lambda writer: _write_document(
            writer, entries, source_language, admitted, created
        ),
        doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">',
    )


def _write_document(w: XmlWriter, entries, source_language, admitted, created):
    with w.element("tmx", {"version": "1.4"}):
        header = {
            "creationtool": CREATION_TOOL,
            "creationtoolversion": CREATION_TOOL_VERSION,
            "segtype": "phrase",
            "o-tmf": CREATION_TOOL,
            "adminlang": "en",
            "srclang": source_language,
            "datatype": "plaintext",
            "creationdate": created.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"),
        }
        w.leaf("header", "", header)
        with w.element("body"):
            for entry in entries:
                for unit_id, terms in _units(entry, admitted):
                    _write_unit(w, entry, unit_id, terms, source_language)
                yield
    yield


def _units(entry: ConceptEntry, admitted: bool):
    """(tuid, terms) of a concept's units: its preferred terms, then each admitted."""
    preferred: dict[str, TermEntry] = {}
    for term in entry.terms:
        if term.status == "preferred":
            preferred.setdefault(term.language, term)
    units = [(entry.slug, list(preferred.values()))]
    if admitted:
        for term in entry.terms:
            if term.status == "admitted":
                others = [t for t in preferred.values() if t.language != term.language]
                units.append((f"{entry.slug}/{len(units) + 1}", [term, *others]))
    return [(unit_id, terms) for unit_id, terms in units if len(terms) > 1]


def _write_unit(w: XmlWriter, entry, unit_id, terms, source_language) -> None:
    attrib = {"tuid": unit_id}
    languages = [term.language for term in terms]
    # TMX 1.4b: a unit without the header's source language names its own.
    if source_language not in languages:
        attrib["srclang"] = languages[0]
    terms = sorted(terms, key=lambda term: term.language != source_language)
    with w.element("tu", attrib):
        if unit_id != entry.slug:
            w.leaf("prop", entry.slug, {"type": "x-conceptId"})
        if entry.domain:
            w.leaf("prop", entry.domain, {"type": "x-subjectField"})
        for term in terms:
            with w.element(_variant(term.language)):
                w.leaf(_ADMINISTRATIVE_STATUS, STATUS_VALUES[term.status])
                w.leaf("seg", term.text)
