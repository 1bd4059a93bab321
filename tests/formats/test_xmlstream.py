import pytest
from lxml import etree

from glossary.formats import xmlstream
from glossary.formats.xmlstream import Tag, stream

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

TRICKY = [
    "plain",
    "",
    "  ",
    "a & b < c > d",
    "\"double\" and 'single' quotes",
    "tab\there, line\nbreak, carriage\rreturn, both\r\n",
    "]]> and &amp; already escaped",
    "Қорғас, 霍尔果斯, Huò'ěrguǒsī, 😀",
]


def written(write) -> bytes:
    return b"".join(stream(write))


def as_lxml_writes_it(root) -> bytes:
    etree.indent(root, "  ")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8") + b"\n"


@pytest.mark.parametrize("text", TRICKY)
def test_text_and_attributes_come_out_as_lxml_writes_them(text):
    def write(w):
        with w.element("root", {"xml:lang": "en"}):
            w.leaf("plain", text)
            w.leaf("attributed", text, {"type": text, "xml:lang": "ru"})
            w.leaf(Tag("tagged", {"type": text}), text)
            with w.element("group", {"n": text}):
                w.leaf("inner", text)
        yield

    root = etree.Element("root", {XML_LANG: "en"})
    etree.SubElement(root, "plain").text = text
    etree.SubElement(root, "attributed", {"type": text, XML_LANG: "ru"}).text = text
    etree.SubElement(root, "tagged", {"type": text}).text = text
    group = etree.SubElement(root, "group", {"n": text})
    etree.SubElement(group, "inner").text = text
    assert written(write) == as_lxml_writes_it(root)


def test_characters_xml_cannot_hold_are_dropped_from_text_and_attributes():
    def write(w):
        with w.element("root"):
            w.leaf("term", "Kh\x00or\x0bgos\ud800 gate\ufffe", {"note": "a\x1fb"})
        yield

    root = etree.fromstring(written(write))
    assert (root[0].text, root[0].get("note")) == ("Khorgos gate", "ab")


def test_an_element_holding_one_text_only_child_stays_on_one_line():
    def write(w):
        with w.element("termSec"):
            w.wrapped("note", "foreign", "Cèshì mén", {"xml:lang": "zh-Latn-pinyin"})
        yield

    assert written(write).decode().splitlines()[1:] == [
        "<termSec>",
        '  <note><foreign xml:lang="zh-Latn-pinyin">Cèshì mén</foreign></note>',
        "</termSec>",
    ]


def test_a_long_document_comes_in_several_chunks_that_join_into_it(monkeypatch):
    def write(w):
        with w.element("body"):
            for n in range(50):
                w.leaf("unit", f"unit {n}")
                yield
        yield

    whole = written(write)
    monkeypatch.setattr(xmlstream, "CHUNK_LINES", 10)
    chunks = list(stream(write))
    assert len(chunks) > 4
    assert b"".join(chunks) == whole
