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


@pytest.mark.parametrize(
    "spellings",
    [
        ["Қорғас", "Qorğas", "Qorgas", "QORGAS", "Korgas"],
        ["Нұрлы жол", "Nūrly jol", "Nurly Zhol", "Nurly Jol", "«Нұрлы Жол»"],
        ["霍爾果斯", "霍尔果斯"],
        ["Khorgos", "Хоргос"],
        ["Объединённых", "Объединенных"],
    ],
)
def test_spellings_across_scripts_share_a_loose_key(spellings):
    assert len({normalize.loose_key(spelling) for spelling in spellings}) == 1


def test_the_loose_key_of_qorgas_is_plain_ascii():
    assert normalize.loose_key("Қорғас") == "korgas"
    assert normalize.loose_key("Nūrly jol") == "nurly jol"


def test_pinyin_with_or_without_tones_meets_the_pinyin_key():
    key = normalize.pinyin_key("霍尔果斯")
    assert key == "huoerguosi"
    assert normalize.pinyin_key("霍爾果斯") == key
    for typed in ["huoerguosi", "Huò'ěrguǒsī", "Huo er guo si", "HUOERGUOSI"]:
        assert normalize.compact_key(typed) == key, typed


def test_a_text_without_chinese_characters_has_no_pinyin_key():
    assert normalize.pinyin_key("Khorgos") == ""


def test_words_have_code_point_offsets_and_chinese_characters_are_words():
    text = "🙂 “Lu Ban Workshop” in Xi’an, 在霍尔果斯SCO峰会"
    found = list(normalize.words(text))
    assert all(text[start:end] == word for start, end, word in found)
    assert [word for _, _, word in found] == [
        *("Lu", "Ban", "Workshop", "in", "Xi’an"),
        *("在", "霍", "尔", "果", "斯", "SCO", "峰", "会"),
    ]
    assert found[0][0] == 3


@pytest.mark.parametrize(
    ("inflected", "term"),
    [
        ("Хоргосе", "Хоргос"),
        ("Астане", "Астана"),
        ("Астаной", "Астана"),
        ("Казахстане", "Казахстан"),
        ("Китая", "Китай"),
        ("Китаю", "Китай"),
        ("Токаева", "Токаев"),
        ("Евразией", "Евразия"),
        (
            "Шанхайской организации сотрудничества",
            "Шанхайская организация сотрудничества",
        ),
        ("Организации Объединенных Наций", "Организация Объединённых Наций"),
    ],
)
def test_russian_case_forms_share_the_match_key_of_their_term(inflected, term):
    assert normalize.match_key(inflected, "ru") == normalize.match_key(term, "ru")


def test_english_plurals_and_possessives_share_a_match_key_but_not_other_words():
    key = normalize.match_key
    assert key("Lu Ban Workshops", "en") == key("Lu Ban Workshop", "en")
    assert key("China’s", "en") == key("China", "en")
    assert key("momentous", "en") != key("moment", "en")
    assert key("reach", "en") != key("breach", "en")


def test_traditional_and_simplified_chinese_share_a_match_key():
    assert normalize.match_key("霍爾果斯", "zh-Hant") == "霍 尔 果 斯"
    assert normalize.match_key("霍尔果斯", "zh-Hans") == "霍 尔 果 斯"


def test_kazakh_is_keyed_alike_in_both_scripts():
    assert normalize.match_key("Нұрлы жол", "kk") == "nurly jol"
    assert normalize.match_key("Nūrly jol", "kk-Latn") == "nurly jol"


@pytest.mark.parametrize(
    ("stem", "ending"),
    [
        ("jol", "dyn"),  # Нұрлы жолдың: genitive
        ("uiymy", "nyn"),  # ұйымының: genitive after the possessive
        ("korgas", "ta"),  # Қорғаста: locative
        ("astana", "ga"),  # Астанаға: dative
        ("biskek", "te"),  # Бішкекте: front vowel, front ending
        ("kytai", "dyn"),  # Қытайдың: й is not a front vowel
        ("kazakstan", "dagy"),  # Қазақстандағы
        ("memleket", "terimiz"),  # plural, possessive
        ("korgas", "pen"),  # instrumental, which does not harmonize
    ],
)
def test_a_kazakh_stem_takes_its_inflectional_endings(stem, ending):
    assert normalize.kazakh_ending(stem, ending)


@pytest.mark.parametrize(
    ("stem", "ending"),
    [
        ("jol", "aushy"),  # жолаушы: a traveller, another word
        ("biskek", "ta"),  # back ending after a front vowel
        ("jol", "dik"),  # not an ending
        ("jol", ""),  # no ending is the word itself, not an inflection
    ],
)
def test_a_kazakh_stem_refuses_what_is_not_its_ending(stem, ending):
    assert not normalize.kazakh_ending(stem, ending)


def test_a_voiced_kazakh_stem_takes_only_endings_that_start_with_a_vowel():
    assert ("ariptestig", True) in normalize.kazakh_stems("ariptestik")
    assert normalize.kazakh_ending("ariptestig", "i", voiced=True)
    assert not normalize.kazakh_ending("ariptestig", "ter", voiced=True)


def test_an_inflected_kazakh_query_stands_for_its_uninflected_form():
    assert "nurly jol" in normalize.query_match_keys("Нұрлы жолдың", "kk")
    assert "ariptestik" in normalize.query_match_keys("әріптестігі", "kk")
    assert normalize.query_match_keys("Хоргосе", "ru") == {"хоргос"}


def test_kazakh_matches_both_scripts_and_chinese_both_forms():
    assert normalize.comparable_languages("kk") == ("kk", "kk-Latn")
    assert normalize.comparable_languages("zh-Hant") == ("zh-Hans", "zh-Hant")
    assert normalize.comparable_languages("en") == ("en",)
