import pytest

pytestmark = pytest.mark.django_db


def check(api, source_text, target_text, source="en", target="ru"):
    body = {
        "source_text": source_text,
        "target_text": target_text,
        "source_language": source,
        "target_language": target,
    }
    return api.post("/api/v1/check/", body, format="json")


def test_a_translation_missing_the_term_for_khorgos_is_reported(api):
    source = "Trade grows in Khorgos, on the border with China."
    response = check(api, source, "Торговля растёт в Коргасе, на границе с Китаем.")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["source_language"], body["target_language"]) == (
        1,
        "en",
        "ru",
    )
    (finding,) = body["findings"]
    assert (finding["kind"], finding["concept"]) == ("missing", "khorgos")
    assert finding["term"]["text"] == "Khorgos"
    assert finding["expected"]["text"] == "Хоргос"
    assert finding["source"] == [{"start": 15, "end": 22, "text": "Khorgos"}]
    assert finding["target"] == []
    assert "Хоргос" in finding["message"]


def test_a_good_translation_has_no_findings(api):
    source = "Trade grows in Khorgos, on the border with China."
    target = "Торговля растёт в Хоргосе, на границе с Китаем."
    assert check(api, source, target).json() == {
        "source_language": "en",
        "target_language": "ru",
        "count": 0,
        "findings": [],
    }


def test_a_deprecated_term_is_reported_at_its_offsets_in_both_texts(api):
    source = "инициатива «Пояс и путь»"
    target = "the One Belt, One Road initiative"
    (finding,) = check(api, source, target, "ru-RU", "en").json()["findings"]
    assert finding["kind"] == "deprecated"
    assert finding["term"]["text"] == "One Belt, One Road"
    assert finding["expected"]["text"] == "Belt and Road Initiative"
    assert finding["target"] == [{"start": 4, "end": 22, "text": "One Belt, One Road"}]
    assert finding["source"] == [
        {"start": 0, "end": 24, "text": "инициатива «Пояс и путь»"}
    ]


def test_a_translation_over_the_limit_is_answered_413(api, settings):
    settings.GLOSSARY_MAX_TEXT_BYTES = 20
    response = check(api, "Khorgos", "Хоргос Хоргос")  # 25 bytes
    assert response.status_code == 413
    assert response.json()["field"] == "target_text"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"source_text": ""}, "source_text"),
        ({"target_text": "   "}, "target_text"),
        ({"source_language": "xx"}, "source_language"),
        ({"target_language": "de"}, "target_language"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, change, field):
    body = {
        "source_text": "Khorgos",
        "target_text": "Хоргос",
        "source_language": "en",
        "target_language": "ru",
        **change,
    }
    response = api.post("/api/v1/check/", body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == field
