import io

import pytest
from lxml import etree
from translate.storage import tmx as ttk_tmx

from glossary import exporter
from glossary.models import Concept, Term

from .helpers import check, export

pytestmark = pytest.mark.django_db

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def units(data: bytes) -> dict:
    return {unit.getid(): unit for unit in ttk_tmx.tmxfile(io.BytesIO(data)).units}


def segments(unit) -> dict[str, str]:
    return {
        node.get(XML_LANG): unit.getNodeText(node) for node in unit.getlanguageNodes()
    }


def test_the_full_seed_glossary_exports_as_valid_tmx(tmp_path):
    assert check("tmx", export("tmx"), tmp_path) == "valid"


def test_translate_toolkit_reads_a_unit_of_preferred_terms_per_concept():
    read = units(export("tmx"))
    for concept in Concept.objects.prefetch_related("terms"):
        preferred = {
            term.language: term.text
            for term in concept.terms.all()
            if term.status == Term.Status.PREFERRED
        }
        if len(preferred) > 1:
            assert segments(read[concept.slug]) == preferred, concept.slug
        else:
            assert concept.slug not in read
    assert read["khorgos"].source == "Khorgos"


def test_admitted_terms_come_only_when_asked(tmp_path):
    admitted = Term.objects.filter(
        concept__slug="khorgos", status=Term.Status.ADMITTED
    ).get()
    plain = export("tmx", exporter.select_concepts(slugs=["khorgos"]))
    assert admitted.text.encode() not in plain
    data = export(
        "tmx", exporter.select_concepts(slugs=["khorgos"]), include=["admitted"]
    )
    assert check("tmx", data, tmp_path) == "valid"
    unit = units(data)["khorgos/2"]
    assert segments(unit)["en"] == admitted.text
    assert segments(unit)["ru"] == "Хоргос"
    tu = etree.fromstring(data).find(".//tu[@tuid='khorgos/2']")
    assert tu.findtext("prop[@type='x-conceptId']") == "khorgos"
    statuses = {
        tuv.get(XML_LANG): tuv.findtext("prop[@type='x-administrativeStatus']")
        for tuv in tu.findall("tuv")
    }
    assert statuses["en"] == "admittedTerm-admn-sts"
    assert statuses["ru"] == "preferredTerm-admn-sts"


def test_the_header_names_the_source_language_and_its_units_start_with_it(tmp_path):
    data = export("tmx", exporter.select_concepts(slugs=["khorgos"]), srclang="ru-RU")
    assert check("tmx", data, tmp_path) == "valid"
    root = etree.fromstring(data)
    header = root.find("header")
    assert header.get("srclang") == "ru"
    assert header.get("creationtool") == "diplomatic-glossary"
    assert header.get("segtype") == "phrase" and header.get("datatype") == "plaintext"
    assert root.find("body/tu/tuv").get(XML_LANG) == "ru"


def test_a_unit_without_the_source_language_names_its_own(make_concept, tmp_path):
    make_concept("test-no-english", ru="Тестовый термин", kk="Сынақ термині")
    data = export("tmx", exporter.select_concepts(slugs=["test-no-english"]))
    assert check("tmx", data, tmp_path) == "valid"
    unit = etree.fromstring(data).find("body/tu")
    assert unit.get("srclang") == "kk"
    assert unit.find("tuv").get(XML_LANG) == "kk"


def test_a_concept_with_a_term_in_one_language_makes_no_unit(make_concept):
    make_concept("test-english-only", en="Test Lonely Term")
    data = export("tmx", exporter.select_concepts(slugs=["test-english-only"]))
    assert b"<tu " not in data and b"Test Lonely Term" not in data
