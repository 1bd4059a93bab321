"""The tasks bench/measure.py times: our implementation next to a plain floor.

A floor does the same work with nothing but the library underneath (lxml, bulk inserts,
pyahocorasick), so the ratio shows what our code adds on top.
"""

import time
from itertools import groupby
from operator import itemgetter

from django.db import transaction
from lxml import etree

from glossary import normalize
from glossary.models import Concept, Term

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS_VALUES = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
    "superseded": "supersededTerm-admn-sts",
}

STATUSES = {value: status for status, value in STATUS_VALUES.items()}
STATUS_PATH = f".//{{{TBX_NS}}}termNote[@type='administrativeStatus']"


def _rows():
    return (
        Term.objects.order_by("concept__slug", "language", "text")
        .values_list("concept__slug", "language", "text", "status")
        .iterator(chunk_size=5000)
    )


def export_bare(path: str) -> dict:
    """Write the terms as TBX conceptEntry/langSec/termSec with a bare xmlfile loop."""
    count = 0
    with etree.xmlfile(path, encoding="utf-8") as xf:
        xf.write_declaration()
        root = xf.element("tbx", nsmap={None: TBX_NS}, type="TBX-Basic", style="dca")
        with root, xf.element("text"), xf.element("body"):
            for slug, rows in groupby(_rows(), key=itemgetter(0)):
                entry = etree.Element("conceptEntry", id=slug)
                for language, terms in groupby(rows, key=itemgetter(1)):
                    lang_sec = etree.SubElement(entry, "langSec", {XML_LANG: language})
                    for _slug, _language, text, status in terms:
                        term_sec = etree.SubElement(lang_sec, "termSec")
                        etree.SubElement(term_sec, "term").text = text
                        etree.SubElement(
                            term_sec, "termNote", type="administrativeStatus"
                        ).text = STATUS_VALUES[status]
                        count += 1
                xf.write(entry)
    return {"terms": count}


def export_ours(path: str, file_format: str = "tbx") -> dict:
    """Write the whole glossary as TBX-Basic with the glossary's streaming writer."""
    from glossary import exporter

    with open(path, "wb") as out:
        for chunk in exporter.export_glossary(file_format).chunks:
            out.write(chunk)
    return {}


def import_floor(path: str) -> dict:
    """iterparse the TBX file and bulk insert the same rows in one transaction."""
    concepts, terms = [], []
    for _event, entry in etree.iterparse(
        path, tag=f"{{{TBX_NS}}}conceptEntry", resolve_entities=False, no_network=True
    ):
        slug = entry.get("id")
        concepts.append(Concept(slug=slug, kind="organization", status="approved"))
        for lang_sec in entry.iterfind(f"{{{TBX_NS}}}langSec"):
            language = lang_sec.get(XML_LANG)
            for term_sec in lang_sec.iterfind(f"{{{TBX_NS}}}termSec"):
                text = term_sec.findtext(f"{{{TBX_NS}}}term")
                status = STATUSES.get(term_sec.findtext(STATUS_PATH), "admitted")
                terms.append((slug, language, text, status))
        entry.clear()
        while entry.getprevious() is not None:
            del entry.getparent()[0]
    with transaction.atomic():
        Concept.objects.bulk_create(concepts, batch_size=5000)
        ids = dict(Concept.objects.values_list("slug", "pk"))
        rows = []
        for slug, language, text, status in terms:
            term = Term(
                concept_id=ids[slug], language=language, text=text, status=status
            )
            term.fill_keys()
            rows.append(term)
        Term.objects.bulk_create(rows, batch_size=5000)
    return {"concepts": len(concepts), "terms": len(terms)}


def import_ours(path: str) -> dict:
    """Import the TBX file with the glossary's importer (checks, one transaction)."""
    from glossary.formats import importer

    with open(path, "rb") as stream:
        report = importer.import_file(stream, filename=path)
    return {"created": report.created}


def parse_translate_toolkit(path: str) -> dict:
    """Parse the file with translate-toolkit's TBX reader, as other tools would.

    translate-toolkit reads TBX v2 (martif) only, so it is given the v2 export of the
    same glossary: the same entries in the older dialect.
    """
    from translate.storage import tbx

    with open(path, "rb") as stream:
        store = tbx.tbxfile(stream)
    return {"units": len(store.units)}


def _english_text(path: str) -> str:
    with open(path, encoding="utf-8") as stream:
        return stream.read()


def annotate_bare(path: str) -> dict:
    """Build a pyahocorasick automaton of every key and scan the folded text with it."""
    import ahocorasick

    started = time.perf_counter()
    automaton = ahocorasick.Automaton()
    for pk, key in Term.objects.values_list("pk", "search_key").iterator(
        chunk_size=20000
    ):
        automaton.add_word(key, pk)
    automaton.make_automaton()
    build = time.perf_counter() - started
    text = normalize.fold(_english_text(path))
    started = time.perf_counter()
    hits = sum(1 for _ in automaton.iter_long(text))
    scan = time.perf_counter() - started
    return {"build_s": round(build, 2), "scan_ms": round(scan * 1000, 2), "hits": hits}


def annotate_ours(path: str) -> dict:
    """Recognize terms with the glossary's matcher: first call builds, second scans."""
    from glossary import matching

    text = _english_text(path)
    started = time.perf_counter()
    matching.find_terms(text, language="en", targets=["ru"])
    first = time.perf_counter() - started
    started = time.perf_counter()
    hits = matching.find_terms(text, language="en", targets=["ru"])
    scan = time.perf_counter() - started
    return {
        "build_s": round(first - scan, 2),
        "scan_ms": round(scan * 1000, 2),
        "hits": len(hits),
    }
