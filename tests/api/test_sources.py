import pytest

from glossary import languages

pytestmark = pytest.mark.django_db


def test_languages_lists_every_tag_with_names_in_each_ui_language(api):
    body = api.get("/api/v1/languages/").json()
    assert [item["tag"] for item in body] == list(languages.TAGS)
    kk_latn = next(item for item in body if item["tag"] == "kk-Latn")
    assert kk_latn["names"]["en"] == "Kazakh (Latin)"
    assert kk_latn["core"] is False


def test_documents_list_without_text_and_detail_with_text_and_quotes(api):
    listing = api.get("/api/v1/documents/").json()
    slugs = [d["slug"] for d in listing["results"]]
    assert slugs == ["atamkulov-kazpravda-2019", "tokayev-xinhua-2024"]
    assert "text" not in listing["results"][0]
    detail = api.get("/api/v1/documents/tokayev-xinhua-2024/").json()
    assert detail["text"].startswith("(Interview of the President")
    for quote in detail["quotes"]:
        assert detail["text"][quote["start"] : quote["end"]] == quote["excerpt"]


def test_quotes_filter_by_concept_and_language(api):
    body = api.get("/api/v1/quotes/", {"concept": "khorgos", "lang": "en"}).json()
    assert body["count"] >= 1
    for quote in body["results"]:
        assert any(t["concept"] == "khorgos" for t in quote["terms"])


@pytest.mark.parametrize("page_size", [1, 30])
def test_quotes_list_runs_a_fixed_number_of_queries(
    api, page_size, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        api.get("/api/v1/quotes/", {"page_size": page_size})


def test_an_unknown_document_is_a_404(api):
    assert api.get("/api/v1/documents/nope/").status_code == 404


def test_writes_are_refused_to_anonymous_users(api):
    response = api.post("/api/v1/concepts/", {"slug": "x"}, format="json")
    assert response.status_code in (401, 403, 405)
    assert response.json()["error"]
