import pytest

from glossary import normalize


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Xi’an", "Xi'an"),
        ("XI`AN", "xi'an"),
        ("One Belt, One Road", "One Belt – One Road"),
        ("Khorgos – Eastern Gate", "khorgos-eastern gate"),
        ("Ｌｕ Ｂａｎ", "lu ban"),
        ("  Хоргос  ", "ХОРГОС"),
        ("“Nurly Zhol”", "Nurly Zhol"),
        ("U.S.", "US"),
    ],
)
def test_variants_share_a_search_key(a, b):
    assert normalize.search_key(a) == normalize.search_key(b)


def test_different_words_keep_different_keys():
    assert normalize.search_key("Khorgos") != normalize.search_key("Khorgas")
    assert normalize.search_key("Қорғас") != normalize.search_key("Коргас")


def test_chinese_is_kept_as_is():
    assert normalize.search_key("霍尔果斯") == "霍尔果斯"


def test_punctuation_only_has_an_empty_key():
    assert normalize.search_key(" ,.– ") == ""


def test_find_span_ignores_case_and_typographic_variants():
    text = "the dry port in Xi’an and the Khorgos – Eastern Gate SEZ"
    start, end = normalize.find_span(text, "xi'an")
    assert text[start:end] == "Xi’an"
    start, end = normalize.find_span(text, "Khorgos - Eastern  Gate")
    assert text[start:end] == "Khorgos – Eastern Gate"


def test_find_span_gives_none_when_absent():
    assert normalize.find_span("the SCO summit", "CICA") is None
