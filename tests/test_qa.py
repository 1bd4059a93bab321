import pytest

from glossary import qa
from glossary.errors import InvalidQuery, TextTooLarge

pytestmark = pytest.mark.django_db

SOURCE = "Trade grows in Khorgos, on the border with China."


def check(source, target, source_language="en", target_language="ru"):
    return qa.check_translation(
        source,
        target,
        source_language=source_language,
        target_language=target_language,
    )


def test_a_russian_translation_missing_the_term_for_khorgos_is_reported():
    target = "Торговля растёт в Коргасе, на границе с Китаем."
    (finding,) = check(SOURCE, target)
    assert finding.kind == qa.FindingKind.MISSING
    assert finding.concept.slug == "khorgos"
    assert finding.expected.text == "Хоргос"
    (where,) = finding.source
    assert (where.start, where.end) == (15, 22)
    assert SOURCE[where.start : where.end] == "Khorgos"
    assert finding.target == []
    assert "Хоргос" in finding.message


def test_an_inflected_form_counts_as_present():
    target = "Торговля растёт в Хоргосе, на границе с Китаем."
    assert check(SOURCE, target) == []
    assert check("Talks in Khorgos.", "Переговоры в Хоргосе.") == []


def test_an_admitted_term_counts_as_rendering_the_concept():
    assert check("The SCO summit in Astana.", "Саммит ШОС в Астане.") == []


def test_a_term_nested_in_a_longer_one_counts_as_present():
    source = "The SCO and its Secretary-General."
    target = "ШОС. Генеральный секретарь ШОС."
    assert check(source, target) == []
    assert check("The SCO.", "Генеральный секретарь ШОС.") == []


def test_a_deprecated_term_in_the_translation_comes_with_the_one_to_use():
    source = "инициатива «Пояс и путь»"
    target = "the One Belt, One Road initiative"
    (finding,) = check(source, target, "ru", "en")
    assert finding.kind == qa.FindingKind.DEPRECATED
    assert finding.concept.slug == "belt-and-road-initiative"
    assert finding.term.text == "One Belt, One Road"
    assert finding.expected.text == "Belt and Road Initiative"
    (used,) = finding.target
    assert target[used.start : used.end] == "One Belt, One Road"
    (met,) = finding.source
    assert source[met.start : met.end] == "инициатива «Пояс и путь»"
    assert "deprecated" in finding.message


def test_a_deprecated_term_is_reported_even_when_the_source_lacks_the_concept():
    (finding,) = check("Hello.", "Hello from the Celestial Empire.", "en", "en")
    assert (finding.kind, finding.concept.slug, finding.source) == (
        qa.FindingKind.DEPRECATED,
        "china",
        [],
    )
    assert finding.expected.text == "People's Republic of China"


def test_findings_come_in_source_order():
    source = "Khorgos and Astana."
    target = "Пекин."
    findings = check(source, target)
    assert [f.concept.slug for f in findings] == ["khorgos", "astana"]
    assert all(f.kind == qa.FindingKind.MISSING for f in findings)


def test_a_concept_without_a_preferred_target_term_is_not_reported(make_concept):
    make_concept(en="Test Zhetysu Gate", kk="Тест Жетісу қақпасы")
    assert check("Test Zhetysu Gate.", "Нет.") == []


def test_each_text_is_checked_naming_its_field(settings):
    with pytest.raises(InvalidQuery) as error:
        check("Khorgos", "")
    assert error.value.field == "target_text"
    settings.GLOSSARY_MAX_TEXT_BYTES = 5
    with pytest.raises(TextTooLarge) as error:
        check("Khorgos", "Хоргос")
    assert error.value.field == "source_text"
