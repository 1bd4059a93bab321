import json

import pytest

from glossary.models import SourceDocument

pytestmark = pytest.mark.django_db


def annotate(api, **body):
    return api.post("/api/v1/annotate/", body, format="json")


def test_annotating_an_interview_gives_each_term_at_its_offsets(api):
    text = SourceDocument.objects.get(slug="atamkulov-kazpravda-2019").text
    response = annotate(api, text=text, language="en", targets=["ru", "zh-Hans"])
    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "en" and body["targets"] == ["ru", "zh-Hans"]
    assert body["count"] == len(body["results"])
    assert all(text[r["start"] : r["end"]] == r["text"] for r in body["results"])
    nurly = next(r for r in body["results"] if r["concept"] == "nurly-zhol")
    assert nurly["text"] == "Nurly Zhol"
    assert nurly["term"] == {
        **nurly["term"],
        "text": "Nurly Zhol",
        "status": "preferred",
    }
    assert nurly["translations"]["ru"]["text"] == "Нұрлы жол"
    assert nurly["translations"]["zh-Hans"]["text"] == "光明之路"
    assert nurly["deprecated"] is False and nurly["use_instead"] is None


def test_a_deprecated_term_comes_flagged_with_its_replacement(api):
    text = "They support the “One Belt, One Road” and the SCO."
    body = annotate(api, text=text, language="en", targets=["ru"]).json()
    belt, sco = body["results"]
    assert (belt["start"], belt["end"], belt["text"]) == (18, 36, "One Belt, One Road")
    assert belt["deprecated"] is True
    assert belt["term"]["status"] == "deprecated"
    assert belt["use_instead"]["text"] == "Belt and Road Initiative"
    assert belt["translations"]["ru"]["text"] == "инициатива «Пояс и путь»"
    assert (sco["concept"], sco["text"]) == ("shanghai-cooperation-organisation", "SCO")


def test_targets_default_to_every_other_language_and_take_a_string(api):
    body = annotate(api, text="Khorgos", language="en").json()
    assert body["targets"] == ["kk", "kk-Latn", "zh-Hans", "zh-Hant", "ru"]
    assert set(body["results"][0]["translations"]) == {"kk", "kk-Latn", "zh-Hans", "ru"}
    body = annotate(api, text="Khorgos", language="en-US", targets="zh-CN,ru").json()
    assert body["language"] == "en" and body["targets"] == ["zh-Hans", "ru"]


def test_leading_whitespace_is_kept_so_offsets_hold(api):
    text = "\n  在霍尔果斯"
    (hit,) = annotate(api, text=text, language="zh-Hans").json()["results"]
    assert (hit["start"], hit["end"], hit["text"]) == (4, 8, "霍尔果斯")


def test_a_text_without_terms_gives_an_empty_list(api):
    body = annotate(api, text="Nothing to see here.", language="en").json()
    assert body == {**body, "count": 0, "results": []}


def test_a_text_over_the_limit_is_answered_413_naming_the_field(api, settings):
    settings.GLOSSARY_MAX_TEXT_BYTES = 100
    response = annotate(api, text="Khorgos " * 13, language="en")
    assert response.status_code == 413
    body = response.json()
    assert (body["field"], body["code"]) == ("text", "text_too_large")
    assert "104 bytes" in body["error"]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"text": "", "language": "en"}, "text", "blank"),
        ({"text": " \n ", "language": "en"}, "text", "at least one word"),
        ({"language": "en"}, "text", "required"),
        ({"text": "Khorgos", "language": "fr"}, "language", "Unknown language 'fr'"),
        ({"text": "Khorgos"}, "language", "required"),
        (
            {"text": "Khorgos", "language": "en", "targets": ["ru", "de"]},
            "targets",
            "'de'",
        ),
        ({"text": "Khorgos", "language": "en", "targets": 5}, "targets", "list"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, body, field, words):
    response = annotate(api, **body)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert words in response.json()["error"]


def test_annotating_runs_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    long_text = SourceDocument.objects.get(slug="tokayev-xinhua-2024").text
    annotate(api, text="Khorgos", language="en")  # builds the automaton
    for text in ["Khorgos", long_text]:
        with django_assert_max_num_queries(2):
            assert annotate(api, text=text, language="en").json()["count"]


def test_a_text_at_the_limit_is_accepted_even_with_every_character_escaped(api):
    text = "абв " * (1024 * 1024 // 7)  # just under 1 MiB in UTF-8
    body = json.dumps({"text": text, "language": "ru"})  # \u0430…: 3 MiB of JSON
    response = api.post("/api/v1/annotate/", body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_body_over_the_request_limit_is_answered_413_json(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = annotate(api, text="Khorgos " * 200, language="en")
    assert response.status_code == 413
    assert response.json()["code"] == "text_too_large"


def test_a_text_with_more_terms_than_the_limit_is_a_413(api, settings):
    settings.GLOSSARY_MAX_HITS = 50
    response = api.post(
        "/api/v1/annotate/",
        {"text": "Khorgos and Almaty. " * 30, "language": "en"},
        format="json",
    )
    assert response.status_code == 413
    assert response.json()["field"] == "text"
    assert "more than 50 glossary terms" in response.json()["error"]
