import pytest

pytestmark = pytest.mark.django_db


def test_the_concept_list_is_paginated_with_languages_and_preferred_terms(api):
    body = api.get("/api/v1/concepts/", {"page_size": 5}).json()
    assert body["count"] >= 30
    assert len(body["results"]) == 5
    first = body["results"][0]
    assert {"slug", "url", "kind", "status", "languages", "preferred"} <= set(first)


def test_the_concept_list_filters_by_a_term_in_any_script(api):
    for query in ["Khorgos", "Хоргос", "霍尔果斯", "Қорғас"]:
        body = api.get("/api/v1/concepts/", {"q": query}).json()
        assert "khorgos" in [c["slug"] for c in body["results"]], query


def test_the_concept_list_filters_by_kind_status_and_missing_language(
    api, make_concept
):
    make_concept("test-no-russian", kind="event", status="draft", en="Test Event")
    body = api.get(
        "/api/v1/concepts/", {"kind": "event", "status": "draft", "missing": "ru-RU"}
    ).json()
    assert "test-no-russian" in [c["slug"] for c in body["results"]]
    assert all(c["kind"] == "event" and c["status"] == "draft" for c in body["results"])
    assert all("ru" not in c["preferred"] for c in body["results"])


def test_the_concept_list_filters_by_language(api, make_concept):
    make_concept("test-hant", zh_hant="測試")
    slugs = [
        c["slug"]
        for c in api.get("/api/v1/concepts/", {"lang": "zh-TW"}).json()["results"]
    ]
    assert "test-hant" in slugs
    assert "khorgos" not in slugs


def test_a_concept_detail_groups_terms_preferred_first_with_quotes_and_spans(api):
    body = api.get("/api/v1/concepts/belt-and-road-initiative/").json()
    english = body["terms"]["en"]
    assert english[0]["status"] == "preferred"
    assert english[-1]["status"] in ("deprecated", "superseded")
    assert body["definitions"]
    for quote in body["quotes"]:
        for term in quote["terms"]:
            if term["span"]:
                start, end = term["span"]
                assert quote["excerpt"][start:end].casefold() != ""


def test_a_concept_detail_lists_its_relations(api):
    body = api.get("/api/v1/concepts/silk-road-economic-belt/").json()
    assert {"kind": "broader", "target": "belt-and-road-initiative"} in body[
        "relations"
    ]


def test_an_unknown_slug_is_a_404_with_the_error_shape(api):
    response = api.get("/api/v1/concepts/no-such-concept/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["error"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "planet"}, "kind"),
        ({"status": "final"}, "status"),
        ({"missing": "fr"}, "missing"),
        ({"lang": "xx"}, "lang"),
        ({"page": 9999}, "page"),
        ({"page": "abc"}, "page"),
        ({"q": "–,."}, "q"),
    ],
)
def test_concept_list_bad_input_is_a_400_naming_the_field(api, params, field):
    response = api.get("/api/v1/concepts/", params)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert response.json()["error"]


@pytest.mark.parametrize("page_size", [5, 50])
def test_the_concept_list_runs_a_fixed_number_of_queries(
    api, page_size, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        body = api.get("/api/v1/concepts/", {"page_size": page_size}).json()
    assert len(body["results"]) == min(page_size, body["count"])


def test_a_concept_detail_runs_a_fixed_number_of_queries(
    api, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        api.get("/api/v1/concepts/shanghai-cooperation-organisation/")
