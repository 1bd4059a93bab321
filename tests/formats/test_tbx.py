import io

import pytest
from lxml import etree
from translate.storage import tbx as ttk_tbx

from glossary import exporter, visibility
from glossary.errors import UnsafeXml, UnsupportedFile
from glossary.formats import importer
from glossary.formats.tbx import read_tbx
from glossary.models import Concept, ConceptRelation, Definition, Quote, Term

from .helpers import SAMPLES, check, export

pytestmark = pytest.mark.django_db

NS = {"t": "urn:iso:std:iso:30042:ed-2"}


@pytest.fixture
def full_concept(make_concept):
    """A concept using every field the glossary holds, related to khorgos."""
    concept = make_concept(
        "test-full", kind="initiative", status="draft", en="Test Gate", zh_hans="测试门"
    )
    concept.domain, concept.note = "economy", "Unsure Chinese form."
    concept.save()
    english = concept.terms.get(language="en")
    english.part_of_speech, english.source = "noun", "gov.kz"
    english.usage_note = "Use in titles."
    english.save()
    chinese = concept.terms.get(language="zh-Hans")
    chinese.romanization = "Cèshì mén"
    chinese.save()
    Term.objects.create(
        concept=concept,
        language="en",
        text="Test Geyt",
        status="admitted",
        term_type="transliteration",
    )
    Definition.objects.create(
        concept=concept, language="en", text="A test gate.", source="Test source"
    )
    Definition.objects.create(concept=concept, language="kk", text="Сынақ қақпасы.")
    quote = Quote.objects.select_related("document").order_by("pk").first()
    quote.terms.add(english)
    ConceptRelation.objects.create(
        source=concept, target=Concept.objects.get(slug="khorgos"), kind="broader"
    )
    return concept, quote


def exported_entry(slugs, slug):
    data = export("tbx", exporter.select_concepts(slugs=slugs))
    return data, etree.fromstring(data).find(f".//t:conceptEntry[@id='{slug}']", NS)


def test_the_full_seed_glossary_exports_as_valid_tbx_basic(tmp_path):
    data = export("tbx")
    assert check("tbx", data, tmp_path) == "valid"
    root = etree.fromstring(data)
    assert root.get("type") == "TBX-Basic" and root.get("style") == "dca"
    entries = root.findall(".//t:conceptEntry", NS)
    assert (
        len(entries) == Concept.objects.filter(terms__isnull=False).distinct().count()
    )


def test_every_field_of_a_concept_has_its_place_in_the_tbx(full_concept, tmp_path):
    concept, quote = full_concept
    data, entry = exported_entry(["test-full", "khorgos"], "test-full")
    assert check("tbx", data, tmp_path) == "valid"

    def texts(path, node=entry):
        return [("".join(el.itertext())) for el in node.xpath(path, namespaces=NS)]

    assert texts("t:descrip[@type='subjectField']") == ["economy"]
    assert texts("t:note") == [
        "kind: initiative",
        "status: draft",
        "Unsure Chinese form.",
    ]
    assert texts("t:descrip[@type='definition'][@xml:lang='kk']") == ["Сынақ қақпасы."]
    assert entry.xpath("t:ref/@target", namespaces=NS) == ["khorgos"]
    assert texts("t:ref[@type='crossReference']") == ["broader"]
    assert texts("t:transacGrp/t:transac") == ["origination", "modification"]

    english = entry.xpath("t:langSec[@xml:lang='en']", namespaces=NS)[0]
    assert texts("t:descripGrp/t:descrip[@type='definition']", english) == [
        "A test gate."
    ]
    assert texts("t:descripGrp/t:admin[@type='source']", english) == ["Test source"]
    preferred, transliteration = english.findall("t:termSec", NS)
    assert texts("t:term", preferred) == ["Test Gate"]
    assert texts("t:termNote", preferred) == [
        "preferredTerm-admn-sts",
        "fullForm",
        "noun",
    ]
    assert texts("t:descripGrp/t:descrip[@type='context']", preferred) == [
        quote.excerpt
    ]
    assert texts("t:descripGrp/t:admin[@type='source']", preferred) == [
        quote.document.citation
    ]
    assert texts("t:admin[@type='source']", preferred) == ["gov.kz"]
    assert texts("t:note", preferred) == ["Use in titles."]
    assert texts("t:termNoteGrp/t:termNote", transliteration) == ["variant"]
    assert texts("t:termNoteGrp/t:note", transliteration) == ["transliteration"]
    chinese = entry.xpath("t:langSec[@xml:lang='zh-Hans']/t:termSec", namespaces=NS)[0]
    foreign = chinese.find("t:note/t:foreign", NS)
    assert foreign.text == "Cèshì mén"
    assert foreign.get("{http://www.w3.org/XML/1998/namespace}lang") == (
        "zh-Latn-pinyin"
    )


def test_reading_our_tbx_gives_back_every_field(full_concept):
    concept, quote = full_concept
    data, _ = exported_entry(["test-full", "khorgos"], "test-full")
    entry = next(e for e in read_tbx(io.BytesIO(data)) if e.slug == "test-full")
    assert (entry.kind, entry.status, entry.domain, entry.note) == (
        "initiative",
        "draft",
        "economy",
        "Unsure Chinese form.",
    )
    assert [(r.kind, r.target) for r in entry.relations] == [("broader", "khorgos")]
    assert entry.created == concept.created and entry.updated == concept.updated
    by_text = {term.text: term for term in entry.terms}
    assert by_text["Test Geyt"].term_type == "transliteration"
    assert by_text["Test Geyt"].status == "admitted"
    assert by_text["测试门"].romanization == "Cèshì mén"
    assert by_text["Test Gate"].usage_note == "Use in titles."
    assert by_text["Test Gate"].source == "gov.kz"
    assert [(c.excerpt, c.source) for c in by_text["Test Gate"].contexts] == [
        (quote.excerpt, quote.document.citation)
    ]
    assert {(d.language, d.text, d.source) for d in entry.definitions} == {
        ("en", "A test gate.", "Test source"),
        ("kk", "Сынақ қақпасы.", ""),
    }


def test_a_slug_starting_with_a_digit_becomes_a_valid_id_and_reads_back(
    make_concept, tmp_path
):
    make_concept("2024-summit", en="Test Summit 2024")
    other = make_concept("test-summit-venue", en="Test Venue")
    ConceptRelation.objects.create(
        source=other, target=Concept.objects.get(slug="2024-summit"), kind="related"
    )
    data = export("tbx", exporter.select_concepts(slugs=["2024-summit", other.slug]))
    assert check("tbx", data, tmp_path) == "valid"
    assert b'id="_.2024-summit"' in data
    entries = {entry.slug: entry for entry in read_tbx(io.BytesIO(data))}
    assert entries["test-summit-venue"].relations[0].target == "2024-summit"


def test_a_relation_to_a_concept_left_out_of_the_export_is_left_out_too(tmp_path):
    assert Concept.objects.get(slug="khorgos-eastern-gate").relations.exists()
    data = export("tbx", exporter.select_concepts(slugs=["khorgos-eastern-gate"]))
    assert check("tbx", data, tmp_path) == "valid"
    assert b"<ref " not in data


def test_an_internal_concept_is_marked_internal_and_reads_back_so(
    make_concept, tmp_path
):
    concept = make_concept("test-internal", en="Test Inner Gate")
    concept.visibility = Concept.Visibility.INTERNAL
    concept.save()
    data = export(
        "tbx",
        exporter.select_concepts(
            slugs=["test-internal", "khorgos"], visible=visibility.EVERYTHING
        ),
    )
    assert check("tbx", data, tmp_path) == "valid"
    notes = {
        entry.get("id"): [note.text for note in entry.findall("t:note", NS)]
        for entry in etree.fromstring(data).findall(".//t:conceptEntry", NS)
    }
    assert notes["test-internal"] == [
        "kind: place",
        "status: approved",
        "visibility: internal",
    ]
    assert not any(note.startswith("visibility") for note in notes["khorgos"])
    entries = {entry.slug: entry for entry in read_tbx(io.BytesIO(data))}
    assert entries["test-internal"].visibility == "internal"
    assert entries["khorgos"].visibility is None


def test_an_internal_concept_stays_internal_through_a_tbx_round_trip(make_concept):
    concept = make_concept("test-internal", en="Test Inner Gate")
    concept.visibility = Concept.Visibility.INTERNAL
    concept.save()
    everything = visibility.EVERYTHING
    data = export("tbx", exporter.select_concepts(visible=everything))
    concept.delete()
    report = importer.import_file(io.BytesIO(data), filename="glossary.tbx")
    assert (report.created, report.conflicts) == (1, 0)
    assert Concept.objects.get(slug="test-internal").visibility == "internal"
    assert Concept.objects.get(slug="khorgos").visibility == "public"


def test_a_file_without_the_note_leaves_an_internal_concept_internal(make_concept):
    older = export("tbx", exporter.select_concepts(slugs=["khorgos"]))
    Concept.objects.filter(slug="khorgos").update(visibility="internal")
    importer.import_file(io.BytesIO(older), filename="older.tbx")
    assert Concept.objects.get(slug="khorgos").visibility == "internal"


def test_an_empty_selection_is_a_valid_tbx_with_an_empty_text(tmp_path):
    data = export("tbx", Concept.objects.none())
    assert check("tbx", data, tmp_path) == "valid"
    assert b"<body" not in data


def test_characters_xml_cannot_hold_are_dropped_not_fatal(make_concept, tmp_path):
    make_concept("test-control", en="Test\x0bTab")
    data = export("tbx", exporter.select_concepts(slugs=["test-control"]))
    assert check("tbx", data, tmp_path) == "valid"
    assert b"<term>TestTab</term>" in data


def test_the_tbx_v2_export_has_the_martif_structure():
    root = etree.fromstring(export("tbx2", exporter.select_concepts(slugs=["khorgos"])))
    assert (root.tag, root.get("type"), root.get("style")) == (
        "martif",
        "TBX-Basic",
        None,
    )
    header = root.find("martifHeader")
    assert [child.tag for child in header] == ["fileDesc", "encodingDesc"]
    assert header.findtext("encodingDesc/p[@type='XCSURI']") == "TBXBasicXCSV02.xcs"
    terms = root.findall("text/body/termEntry[@id='khorgos']/langSet/tig/term")
    assert "Khorgos" in [term.text for term in terms]


def test_translate_toolkit_reads_our_tbx_v2_with_the_same_terms():
    store = ttk_tbx.tbxfile(io.BytesIO(export("tbx2")))
    units = {unit.getid(): unit for unit in store.units}
    assert len(units) == Concept.objects.filter(terms__isnull=False).distinct().count()
    concept = Concept.objects.get(slug="belt-and-road-initiative")
    english = concept.terms.filter(language="en")
    read = units["belt-and-road-initiative"].get_source_terms()
    assert {(term.text, term.deprecated) for term in read} == {
        (term.text, term.status in ("deprecated", "superseded")) for term in english
    }


def test_the_hand_written_martif_sample_reads_as_v3_does():
    entries = list(read_tbx((SAMPLES / "termbase-v2.tbx").open("rb")))
    port, khorgos = entries
    assert port.slug == "test-v2-dry-port" and port.line == 11
    assert port.domain == "transport and logistics"
    assert [(t.language, t.text, t.status) for t in port.terms] == [
        ("en", "dry port", "preferred"),
        ("en", "inland port", "admitted"),
        ("ru-RU", "сухой порт", "preferred"),
    ]
    assert port.terms[1].usage_note == "Less precise; prefer dry port."
    assert port.terms[0].part_of_speech == "noun"
    assert [(d.text, d.source) for d in port.definitions] == [
        ("An inland terminal linked to a seaport by rail.", "Test termbase")
    ]
    assert [(r.kind, r.target) for r in port.relations] == [
        ("related", "test-v2-khorgos")
    ]
    assert port.ignored == [("termNote grammaticalGender", 36)]
    assert khorgos.terms[1].romanization == "Cèshì Huò'ěrguǒsī"


ATTACKS = {
    "xxe": (
        '<!DOCTYPE tbx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<tbx><text>&xxe;</text></tbx>",
        "external entity",
    ),
    "billion laughs": (
        '<!DOCTYPE tbx [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><tbx><text>&c;</text></tbx>',
        "billion laughs",
    ),
    "external DTD": (
        '<!DOCTYPE tbx SYSTEM "http://example.org/tbx.dtd"><tbx/>',
        "external DTD",
    ),
    "parameter entity": (
        '<!DOCTYPE tbx [<!ENTITY % p SYSTEM "http://example.org/p.dtd"> %p;]><tbx/>',
        "external entity",
    ),
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_file_with_a_doctype_is_refused_naming_the_attack(attack):
    document, named = ATTACKS[attack]
    with pytest.raises(UnsafeXml, match=named):
        list(read_tbx(io.BytesIO(f'<?xml version="1.0"?>\n{document}'.encode())))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<tbx><text><body>", "not well-formed XML"),
        (b"%PDF-1.7 binary", "not well-formed XML"),
        (b'<tmx version="1.4"><body/></tmx>', "root element is <tmx>"),
        (b'<tbx style="dct" type="TBX-Basic"/>', "DCT style"),
    ],
)
def test_a_file_that_is_no_readable_tbx_is_refused(data, message):
    with pytest.raises(UnsupportedFile, match=message):
        list(read_tbx(io.BytesIO(data)))
