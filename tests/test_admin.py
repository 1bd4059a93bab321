import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from glossary.models import Concept, Quote, SourceDocument, Term
from tests.admin_forms import concept_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    """A signed-in staff member with the glossary's permissions, not a superuser."""
    user = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="glossary")
    )
    client.force_login(user)
    return client


def inline_data(concept: Concept, terms: list[dict]) -> dict:
    """The POST body of the concept change form with these term rows."""
    return concept_form(
        terms,
        slug=concept.slug,
        kind=concept.kind,
        domain=concept.domain,
        status=concept.status,
        note=concept.note,
        opened_version=concept.version,
    )


def test_the_change_list_shows_preferred_terms_per_language(editor):
    html = editor.get("/admin/glossary/concept/", {"q": "khorgos"}).content.decode()
    assert "霍尔果斯" in html and "Хоргос" in html and "Қорғас" in html


@pytest.mark.parametrize("query", ["Khorgos", "Хоргос", "霍尔果斯", "Қорғас", "хоргос"])
def test_admin_search_finds_a_concept_by_any_of_its_terms(editor, query):
    response = editor.get("/admin/glossary/concept/", {"q": query})
    slugs = [c.slug for c in response.context["cl"].result_list]
    assert "khorgos" in slugs


def test_the_missing_language_filter_lists_concepts_without_that_language(
    editor, make_concept
):
    make_concept("test-only-english", en="Test Only English")
    response = editor.get("/admin/glossary/concept/", {"missing": "zh-Hans"})
    slugs = [c.slug for c in response.context["cl"].result_list]
    assert "test-only-english" in slugs and "khorgos" not in slugs


def test_the_change_form_shows_quotes_with_the_term_highlighted(editor):
    concept = Concept.objects.get(slug="khorgos")
    html = editor.get(f"/admin/glossary/concept/{concept.pk}/change/").content.decode()
    assert "<mark>Khorgos</mark>" in html
    assert 'name="terms-0-text"' in html


def test_an_editor_can_fix_a_term(editor, make_concept):
    concept = make_concept("test-fix", en="Test Khorgas")
    term = concept.terms.get()
    data = inline_data(concept, [])
    data.update(
        {
            "terms-TOTAL_FORMS": 1,
            "terms-INITIAL_FORMS": 1,
            "terms-0-id": term.pk,
            "terms-0-concept": concept.pk,
            "terms-0-language": "en",
            "terms-0-text": "Test Khorgos",
            "terms-0-status": "preferred",
            "terms-0-term_type": "fullForm",
        }
    )
    response = editor.post(f"/admin/glossary/concept/{concept.pk}/change/", data)
    assert response.status_code == 302, (
        response.context["errors"] if response.context else ""
    )
    term.refresh_from_db()
    assert (term.text, term.search_key) == ("Test Khorgos", "test khorgos")


def test_a_second_preferred_term_is_an_error_on_the_status_field(editor, make_concept):
    concept = make_concept("test-two-preferred", en="Test One")
    data = inline_data(
        concept,
        [
            {"language": "ru", "text": "Тест один", "status": "preferred"},
            {"language": "ru", "text": "Тест два", "status": "preferred"},
        ],
    )
    response = editor.post(f"/admin/glossary/concept/{concept.pk}/change/", data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "more than one preferred term" in str(formset.forms[1].errors["status"])
    assert not concept.terms.filter(language="ru").exists()


def test_a_second_preferred_term_against_a_saved_one_is_an_error_too(
    editor, make_concept
):
    concept = make_concept("test-saved-preferred", en="Test One")
    data = inline_data(
        concept, [{"language": "en", "text": "Test Two", "status": "preferred"}]
    )
    response = editor.post(f"/admin/glossary/concept/{concept.pk}/change/", data)
    assert response.status_code == 200
    assert "more than one preferred term" in response.content.decode()
    assert concept.terms.count() == 1


def test_a_quote_not_in_its_document_is_an_error_on_the_excerpt(editor):
    document = SourceDocument.objects.get(slug="tokayev-xinhua-2024")
    count = Quote.objects.count()
    response = editor.post(
        "/admin/glossary/quote/add/",
        {
            "document": document.pk,
            "excerpt": "Khorgos is a city in France",
            "start": "",
            "end": "",
        },
    )
    assert response.status_code == 200
    assert "not in the document" in str(
        response.context["adminform"].form.errors["excerpt"]
    )
    assert Quote.objects.count() == count


def test_a_quote_gets_its_offsets_from_the_excerpt(editor):
    document = SourceDocument.objects.get(slug="tokayev-xinhua-2024")
    excerpt = "I was impressed by the modern laboratories"
    term = Term.objects.get(concept__slug="khorgos", language="en", status="preferred")
    response = editor.post(
        "/admin/glossary/quote/add/",
        {
            "document": document.pk,
            "excerpt": excerpt,
            "start": "",
            "end": "",
            "terms": [term.pk],
        },
    )
    assert response.status_code == 302
    quote = Quote.objects.get(excerpt=excerpt)
    assert document.text[quote.start : quote.end] == excerpt


def test_a_source_document_is_readable_with_its_quotes_marked(editor):
    document = SourceDocument.objects.get(slug="atamkulov-kazpravda-2019")
    html = editor.get(
        f"/admin/glossary/sourcedocument/{document.pk}/change/"
    ).content.decode()
    assert "<mark>" in html
    assert "Beibut Bakirovich" in html


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/admin/glossary/concept/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_statistics_page_shows_coverage_per_language(editor):
    response = editor.get("/admin/glossary/concept/statistics/")
    assert response.status_code == 200
    html = response.content.decode()
    rows = {row["language"]: row for row in response.context["stats"].rows()}
    assert rows["ru"]["approved_percent"] == 100.0
    assert "zh-Hans" in html and "100.0 %" in html


def test_the_change_list_links_to_the_statistics(editor):
    html = editor.get("/admin/glossary/concept/").content.decode()
    assert "/admin/glossary/concept/statistics/" in html


def test_an_editor_can_swap_the_preferred_and_an_admitted_term(editor, make_concept):
    concept = make_concept(
        "test-swap", en=[("Test Khorgos", "preferred"), ("Test Khorgas", "admitted")]
    )
    first, second = concept.terms.order_by("text")  # Khorgas (admitted), Khorgos
    data = inline_data(concept, [])
    data.update({"terms-TOTAL_FORMS": 2, "terms-INITIAL_FORMS": 2})
    for index, (term, status) in enumerate(
        [(first, "preferred"), (second, "admitted")]
    ):
        data.update(
            {
                f"terms-{index}-id": term.pk,
                f"terms-{index}-concept": concept.pk,
                f"terms-{index}-language": "en",
                f"terms-{index}-text": term.text,
                f"terms-{index}-status": status,
                f"terms-{index}-term_type": "fullForm",
            }
        )
    response = editor.post(f"/admin/glossary/concept/{concept.pk}/change/", data)
    assert response.status_code == 302
    assert concept.terms.get(status="preferred").text == "Test Khorgas"


def test_a_quote_with_only_one_offset_is_an_error_on_the_missing_one(editor):
    document = SourceDocument.objects.get(slug="tokayev-xinhua-2024")
    response = editor.post(
        "/admin/glossary/quote/add/",
        {
            "document": document.pk,
            "excerpt": "Khorgos",
            "start": "10",
            "end": "",
        },
    )
    assert response.status_code == 200
    assert "Give both offsets" in str(response.context["adminform"].form.errors["end"])


def test_admin_search_keeps_the_list_filters(editor):
    response = editor.get("/admin/glossary/concept/", {"q": "Хоргос", "kind": "person"})
    assert list(response.context["cl"].result_list) == []
    response = editor.get("/admin/glossary/concept/", {"q": "Хоргос", "kind": "place"})
    assert "khorgos" in [c.slug for c in response.context["cl"].result_list]


def test_a_source_document_page_runs_a_fixed_number_of_queries(
    editor, django_assert_max_num_queries
):
    document = SourceDocument.objects.get(slug="atamkulov-kazpravda-2019")
    with django_assert_max_num_queries(15):
        editor.get(f"/admin/glossary/sourcedocument/{document.pk}/change/")


@pytest.mark.parametrize("model", ["concept", "term"])
def test_a_huge_admin_search_is_answered(editor, model):
    response = editor.get(f"/admin/glossary/{model}/", {"q": "x" * 60_000})
    assert response.status_code == 200
