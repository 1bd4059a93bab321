import csv
import io

import pytest

from glossary import exporter
from glossary.errors import UnknownLanguage, UnsupportedFile
from glossary.formats.tabular import read_table
from glossary.models import Concept, Term

from .helpers import export

pytestmark = pytest.mark.django_db


def rows(data: bytes, dialect: str = "excel") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), dialect))


def test_the_header_names_the_languages_and_each_row_holds_preferred_terms():
    header, *body = rows(export("csv"))
    assert header == ["en", "kk", "kk-Latn", "zh-Hans", "ru"]
    assert ["Khorgos", "Қорғас", "Qorğas", "霍尔果斯", "Хоргос"] in body
    with_preferred = Concept.objects.filter(terms__status="preferred").distinct()
    assert len(body) == with_preferred.count()
    assert all(len(row) == len(header) for row in body)


def test_rows_follow_the_first_columns_terms():
    first_column = [row[0] for row in rows(export("csv"))[1:] if row[0]]
    assert first_column == sorted(first_column)


def test_commas_quotes_and_newlines_survive_csv_and_tsv(make_concept):
    tricky = 'Test "Gate", line one\nline two\tand a tab'
    make_concept("test-tricky", en=tricky, ru="Тест, «ворота»")
    concepts = exporter.select_concepts(slugs=["test-tricky"])
    assert rows(export("csv", concepts))[1] == [tricky, "Тест, «ворота»"]
    assert rows(export("tsv", concepts), "excel-tab")[1] == [tricky, "Тест, «ворота»"]


def test_the_pair_form_has_two_columns_and_only_concepts_with_both(make_concept):
    make_concept("test-english-only", en="Test English Only")
    header, *body = rows(
        export("csv", exporter.select_concepts(kind="place"), source="en", target="ru")
    )
    assert header == ["en", "ru"]
    assert ["Khorgos", "Хоргос"] in body
    assert all(english and russian for english, russian in body)
    assert ["Test English Only", ""] not in body


def test_an_id_column_comes_first_when_asked():
    header, *body = rows(
        export("csv", exporter.select_concepts(slugs=["khorgos"]), include=["id"])
    )
    assert header[0] == "id" and body[0][0] == "khorgos"


def test_the_file_is_utf8_without_a_byte_order_mark():
    data = export("csv", exporter.select_concepts(slugs=["khorgos"]))
    assert data.startswith(b"en,") and "霍尔果斯".encode() in data


def test_reading_a_table_gives_a_partial_entry_per_row():
    data = (
        "\ufeffid,EN,ru-RU,zh\r\n"
        "khorgos,Khorgos,Хоргос,\r\n"
        ",,,\r\n"
        ",Astana,,阿斯塔纳\r\n"
    )
    first, second = read_table(io.BytesIO(data.encode()), dialect="csv")
    assert first.slug == "khorgos" and first.partial and first.line == 2
    assert [(t.language, t.text, t.status) for t in first.terms] == [
        ("en", "Khorgos", "preferred"),
        ("ru", "Хоргос", "preferred"),
    ]
    assert second.slug is None and second.line == 4
    assert [t.language for t in second.terms] == ["en", "zh-Hans"]


def test_a_header_with_unknown_languages_names_them_all():
    data = b"en,xx,Khorgos\nKhorgos,a,b\n"
    with pytest.raises(UnknownLanguage, match="'xx', 'Khorgos'.*first row"):
        list(read_table(io.BytesIO(data), dialect="csv"))


def test_two_columns_of_one_language_are_refused():
    with pytest.raises(UnsupportedFile, match="same language: zh-Hans"):
        list(read_table(io.BytesIO(b"zh,zh-Hans\n"), dialect="csv"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        ("en,ru\nKhorgos,Хоргос\n".encode("cp1251"), "not UTF-8"),
        (b"en,ru\nKhor\x00gos,x\n", "no text table"),
        (b"en\n" + b"x" * 200_000, "not a readable table .line 2: field larger"),
    ],
)
def test_a_file_that_is_no_utf8_table_is_refused(data, message):
    with pytest.raises(UnsupportedFile, match=message):
        list(read_table(io.BytesIO(data), dialect="csv"))


def test_a_term_with_a_line_separator_stays_one_cell(make_concept):
    make_concept("test-separator", en="Test\u2028Gate")
    data = export("csv", exporter.select_concepts(slugs=["test-separator"]))
    (entry,) = read_table(io.BytesIO(data), dialect="csv")
    assert entry.terms[0].text == "Test\u2028Gate"
    assert Term.objects.filter(text="Test\u2028Gate").exists()
