import pytest

from glossary import matching
from glossary.errors import InvalidQuery, TextTooLarge, UnknownLanguage
from glossary.models import SourceDocument, Term

pytestmark = pytest.mark.django_db


def document(slug: str) -> str:
    return SourceDocument.objects.get(slug=slug).text


def found(hits) -> list[tuple[str, str, str]]:
    return [(hit.text, hit.term.concept.slug, hit.term.status) for hit in hits]


def test_a_whole_interview_is_annotated_at_offsets_that_hold_each_term():
    text = document("tokayev-xinhua-2024")
    hits = matching.find_terms(text, language="en", targets=["ru", "zh-Hans"])
    assert all(text[hit.start : hit.end] == hit.text for hit in hits)
    by_text = {hit.text: hit for hit in hits}
    assert by_text["Lu Ban Workshop"].term.concept.slug == "lu-ban-workshop"
    assert by_text["Belt and Road Initiative"].term.status == "preferred"
    sez = by_text["Khorgos – Eastern Gate SEZ"]
    assert sez.term.concept.slug == "khorgos-eastern-gate"
    assert text[sez.start : sez.end] == "Khorgos – Eastern Gate SEZ"
    assert by_text["SCO"].term.concept.slug == "shanghai-cooperation-organisation"
    assert (
        by_text["SCO"].translations["ru"].text
        == "Шанхайская организация сотрудничества"
    )
    assert by_text["SCO"].translations["zh-Hans"].text == "上海合作组织"


def test_the_other_interview_has_nurly_zhol_and_the_sco_in_full():
    text = document("atamkulov-kazpravda-2019")
    hits = matching.find_terms(text, language="en")
    nurly = [hit for hit in hits if hit.term.concept.slug == "nurly-zhol"]
    assert nurly and all(text[h.start : h.end] == "Nurly Zhol" for h in nurly)
    assert (
        "Shanghai Cooperation Organization",
        "shanghai-cooperation-organisation",
    ) in {(hit.text, hit.term.concept.slug) for hit in hits}


def test_one_belt_one_road_is_flagged_deprecated_with_its_replacement():
    text = document("tokayev-xinhua-2024")
    hits = [h for h in matching.find_terms(text, language="en") if h.deprecated]
    (first, *_) = [h for h in hits if h.text == "One Belt, One Road"]
    assert first.term.concept.slug == "belt-and-road-initiative"
    assert first.term.status == "deprecated"
    assert first.use_instead.text == "Belt and Road Initiative"
    assert text[first.start : first.end] == "One Belt, One Road"


def test_variants_sharing_a_key_give_one_hit_as_written():
    hits = matching.find_terms("the “One Belt – One Road” initiative", language="en")
    assert [hit.term.text for hit in hits] == ["One Belt – One Road"]


def test_the_longest_leftmost_term_wins_and_nested_ones_come_on_request():
    text = "the dry port in Xi’an and the Khorgos – Eastern Gate SEZ."
    hits = matching.find_terms(text, language="en")
    assert found(hits) == [
        ("dry port in Xi’an", "xian-dry-port", "admitted"),
        ("Khorgos – Eastern Gate SEZ", "khorgos-eastern-gate", "admitted"),
    ]
    nested = matching.find_terms(text, language="en", nested=True)
    khorgos = [hit for hit in nested if hit.term.concept.slug == "khorgos"]
    assert [(h.text, h.start) for h in khorgos] == [("Khorgos", text.index("Khorgos"))]
    assert [h.text for h in matching.longest_leftmost(nested)] == [
        "dry port in Xi’an",
        "Khorgos – Eastern Gate SEZ",
    ]


def test_reach_is_not_found_in_breach(make_concept):
    make_concept(en="reach")
    assert matching.find_terms("a breach of trust", language="en") == []
    (hit,) = matching.find_terms("to reach out", language="en")
    assert (hit.start, hit.end, hit.text) == (3, 8, "reach")


def test_chinese_terms_are_found_without_spaces():
    text = "中哈两国在霍尔果斯合作建设，上海合作组织"
    hits = matching.find_terms(text, language="zh-Hans")
    assert [(h.start, h.end, h.term.concept.slug) for h in hits] == [
        (5, 9, "khorgos"),
        (14, 20, "shanghai-cooperation-organisation"),
    ]


def test_traditional_chinese_text_finds_simplified_terms():
    (hit,) = matching.find_terms(
        "雙方在霍爾果斯會晤", language="zh-Hant", targets=["en"]
    )
    assert (hit.text, hit.term.text) == ("霍爾果斯", "霍尔果斯")
    assert hit.translations["en"].text == "Khorgos"


def test_offsets_are_code_points_even_after_astral_characters():
    text = "🙂🙂 Khorgos"
    (hit,) = matching.find_terms(text, language="en")
    assert (hit.start, hit.end) == (3, 10)
    assert text[hit.start : hit.end] == "Khorgos"


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Встреча прошла в Хоргосе.", "ru", ("Хоргосе", "khorgos")),
        ("саммит в Астане", "ru", ("Астане", "astana")),
        (
            "Председательство Шанхайской организации сотрудничества",
            "ru",
            (
                "Шанхайской организации сотрудничества",
                "shanghai-cooperation-organisation",
            ),
        ),
        ("«Нұрлы жолдың» мақсаттары", "kk", ("Нұрлы жолдың", "nurly-zhol")),
        ("Қорғаста өтті", "kk", ("Қорғаста", "khorgos")),
        ("Qorğasta ötti", "kk-Latn", ("Qorğasta", "khorgos")),
        ("Қытайдың астанасы", "kk", ("Қытайдың", "china")),
        (
            "жан-жақты стратегиялық әріптестігі",
            "kk",
            (
                "жан-жақты стратегиялық әріптестігі",
                "comprehensive-strategic-partnership",
            ),
        ),
        ("Бішкекте", "kk", ("Бішкекте", "bishkek")),
    ],
)
def test_inflected_forms_are_found_in_russian_and_kazakh(text, language, expected):
    hits = matching.find_terms(text, language=language)
    assert expected in [(hit.text, hit.term.concept.slug) for hit in hits]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("алма", "kk"),  # an apple, not Алматы
        ("Нұрлы жолаушы", "kk"),  # a traveller, not the road
        ("Бішкекта", "kk"),  # a back ending after a front vowel
    ],
)
def test_words_that_only_look_inflected_are_not_terms(text, language):
    assert matching.find_terms(text, language=language) == []


def test_a_text_is_matched_against_its_own_language_only():
    assert matching.find_terms("Хоргос", language="kk") == []
    assert found(matching.find_terms("Хоргос", language="ru")) == [
        ("Хоргос", "khorgos", "preferred")
    ]


def test_the_targets_decide_the_renderings_given():
    (hit,) = matching.find_terms("Khorgos", language="en", targets=["kk-Latn", "ru"])
    assert {tag: term.text for tag, term in hit.translations.items()} == {
        "kk-Latn": "Qorğas",
        "ru": "Хоргос",
    }
    (hit,) = matching.find_terms("Khorgos", language="en")
    assert "en" not in hit.translations and "zh-Hans" in hit.translations


def test_the_automaton_is_rebuilt_after_a_term_is_edited_and_not_before(make_concept):
    concept = make_concept(en="Test Zhetysu Gate")
    assert found(matching.find_terms("at Test Zhetysu Gate", language="en"))
    version, builds = matching.cache_info()
    matching.find_terms("at Test Zhetysu Gate again", language="en")
    assert matching.cache_info() == (version, builds)

    term = concept.terms.get()
    term.text = "Test Zhetysu Door"
    term.save()
    hits = matching.find_terms("at Test Zhetysu Door", language="en")
    assert [hit.text for hit in hits] == ["Test Zhetysu Door"]
    assert matching.cache_info() == (version + 1, builds + 1)
    assert matching.find_terms("at Test Zhetysu Gate", language="en") == []


def test_a_deleted_term_is_no_longer_found(make_concept):
    concept = make_concept(en="Test Zhetysu Gate")
    assert matching.find_terms("Test Zhetysu Gate", language="en")
    Term.objects.filter(concept=concept).delete()
    assert matching.find_terms("Test Zhetysu Gate", language="en") == []


def test_recognition_runs_two_queries_whatever_the_text(django_assert_num_queries):
    long_text = document("tokayev-xinhua-2024")
    matching.find_terms("Khorgos", language="en")  # builds the automaton
    for text in ["Khorgos", long_text]:
        with django_assert_num_queries(2):  # the version, the found terms
            assert matching.find_terms(text, language="en")


def test_a_rebuild_reads_the_terms_in_one_query(
    make_concept, django_assert_num_queries
):
    matching.find_terms("Khorgos", language="en")
    make_concept(en="Test Zhetysu Gate")
    # The version, all terms, the concepts hidden from the reader, the found terms.
    with django_assert_num_queries(4):
        matching.find_terms("Test Zhetysu Gate", language="en")


def test_empty_text_is_refused_naming_the_field():
    with pytest.raises(InvalidQuery) as error:
        matching.find_terms("  \n", language="en")
    assert error.value.field == "text"


def test_an_unknown_language_is_refused():
    with pytest.raises(UnknownLanguage):
        matching.find_terms("Khorgos", language="fr")


def test_a_text_over_the_size_limit_is_refused_with_413(settings):
    settings.GLOSSARY_MAX_TEXT_BYTES = 10
    matching.find_terms("Khorgos ok", language="en")  # 10 bytes
    with pytest.raises(TextTooLarge) as error:
        matching.find_terms("Қорғас", language="kk")  # 12 bytes in UTF-8
    assert (error.value.status, error.value.field) == (413, "text")


def test_a_term_written_with_quotes_is_given_back_with_them():
    text = "поддерживает инициативу «Пояс и путь» и «Нұрлы жол»."
    hits = matching.find_terms(text, language="ru")
    assert [hit.text for hit in hits] == ["инициативу «Пояс и путь»", "Нұрлы жол"]
    assert all(text[hit.start : hit.end] == hit.text for hit in hits)
