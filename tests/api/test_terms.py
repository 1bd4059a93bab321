import pytest

pytestmark = pytest.mark.django_db


def texts(response):
    return [t["text"] for t in response.json()["results"]]


def test_exact_match_ignores_case_and_punctuation(api):
    response = api.get("/api/v1/terms/", {"q": "khorgos", "lang": "en"})
    assert texts(response) == ["Khorgos"]
    assert response.json()["results"][0]["concept"] == "khorgos"


def test_prefix_match_finds_longer_terms(api):
    found = texts(
        api.get("/api/v1/terms/", {"q": "Khorgos", "lang": "en", "match": "prefix"})
    )
    assert "Khorgos" in found and any(t.startswith("Khorgos –") for t in found)


def test_contains_match_finds_the_word_inside(api):
    found = texts(api.get("/api/v1/terms/", {"q": "eastern gate", "match": "contains"}))
    assert any("Eastern Gate" in t for t in found)


def test_the_language_filter_accepts_aliases(api):
    found = api.get("/api/v1/terms/", {"q": "霍尔果斯", "lang": "zh-CN"}).json()[
        "results"
    ]
    assert [t["language"] for t in found] == ["zh-Hans"]


def test_reach_is_not_found_in_breach_by_prefix(api, make_concept):
    make_concept(en="Test breach")
    assert texts(api.get("/api/v1/terms/", {"q": "reach", "match": "prefix"})) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": ""}, "q"),
        ({}, "q"),
        ({"q": "Khorgos", "match": "regex"}, "match"),
        ({"q": "Khorgos", "lang": "Klingon"}, "lang"),
        ({"q": "Khorgos", "page": 50}, "page"),
    ],
)
def test_term_search_bad_input_is_a_400_naming_the_field(api, params, field):
    response = api.get("/api/v1/terms/", params)
    assert response.status_code == 400
    assert response.json()["field"] == field


@pytest.mark.parametrize("page_size", [2, 40])
def test_term_search_runs_a_fixed_number_of_queries(
    api, page_size, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        body = api.get(
            "/api/v1/terms/", {"q": "a", "match": "contains", "page_size": page_size}
        ).json()
    assert len(body["results"]) == min(page_size, body["count"])


def test_a_latin_spelling_finds_the_kazakh_term_in_both_scripts(api):
    found = api.get("/api/v1/terms/", {"q": "Qorgas"}).json()["results"]
    assert {(t["text"], t["language"]) for t in found} == {
        ("Қорғас", "kk"),
        ("Qorğas", "kk-Latn"),
    }


@pytest.mark.parametrize("q", ["霍爾果斯", "huoerguosi", "Huò'ěrguǒsī"])
def test_traditional_characters_and_pinyin_find_the_chinese_term(api, q):
    assert texts(api.get("/api/v1/terms/", {"q": q, "lang": "zh-Hans"})) == ["霍尔果斯"]


def test_pinyin_prefix_finds_chinese_terms(api):
    found = texts(api.get("/api/v1/terms/", {"q": "huoer", "match": "prefix"}))
    assert "霍尔果斯" in found


def test_an_inflected_russian_query_finds_its_term(api):
    params = {"q": "Шанхайской организации сотрудничества", "lang": "ru"}
    assert texts(api.get("/api/v1/terms/", params)) == [
        "Шанхайская организация сотрудничества"
    ]


def test_fuzzy_search_returns_close_terms_best_first_with_a_score(api):
    params = {"q": "Khorgoss", "lang": "en", "match": "fuzzy"}
    found = api.get("/api/v1/terms/", params).json()["results"]
    assert [t["text"] for t in found[:2]] == ["Khorgos", "Khorgas"]
    assert found[0]["score"] > found[1]["score"] >= 70
    assert found[0]["concept"] == "khorgos"


def test_exact_search_has_no_score(api):
    (term,) = api.get("/api/v1/terms/", {"q": "Khorgos", "lang": "en"}).json()[
        "results"
    ]
    assert term["score"] is None


def test_fuzzy_search_runs_a_fixed_number_of_queries(
    api, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        body = api.get("/api/v1/terms/", {"q": "Astna", "match": "fuzzy"}).json()
    assert body["results"][0]["text"] == "Astana"


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("霍尔", "霍尔果斯"), ("Нұрл", "Нұрлы жол"), ("khorgos ", "Khorgos")],
)
def test_prefix_match_works_in_every_script(api, prefix, expected):
    found = api.get("/api/v1/terms/", {"q": prefix, "match": "prefix"}).json()[
        "results"
    ]
    assert expected in [t["text"] for t in found]
