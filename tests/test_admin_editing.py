"""Editing in the admin: add, concurrent saves, duplicate warnings, history, revert."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages

from glossary import editing
from glossary.models import Concept, ConceptRelation
from tests.admin_forms import change_form_data, concept_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(client):
    client.force_login(get_user_model().objects.create_superuser("boss", password="x"))
    return client


def add_data(slug: str, terms: list[tuple[str, str]]) -> dict:
    rows = [{"language": language, "text": text} for language, text in terms]
    return concept_form(rows, slug=slug)


def test_the_add_page_opens_and_creates_a_concept_with_its_terms(boss):
    assert boss.get("/admin/glossary/concept/add/").status_code == 200
    terms = [
        ("en", "Test Dry Port"),
        ("kk", "Тест құрғақ порт"),
        ("kk-Latn", "Test qurğaq port"),
        ("zh-Hans", "测试陆港"),
        ("ru", "Тестовый сухой порт"),
    ]
    response = boss.post(
        "/admin/glossary/concept/add/", add_data("test-dry-port", terms)
    )
    assert response.status_code == 302, response.context["errors"]
    concept = Concept.objects.get(slug="test-dry-port")
    assert set(concept.terms.values_list("language", "text")) == set(terms)
    (version,) = editing.concept_history(concept)
    assert (version.via, version.user.username) == ("admin", "boss")


def test_a_stale_form_is_refused_naming_the_change_and_keeping_the_input(boss):
    concept = Concept.objects.get(slug="khorgos")
    first = change_form_data(boss, concept)
    second = change_form_data(boss, concept)
    first["note"] = "Typed by the first editor."
    assert (
        boss.post(f"/admin/glossary/concept/{concept.pk}/change/", first).status_code
        == 302
    )
    second["domain"] = "Typed by the second editor"
    response = boss.post(f"/admin/glossary/concept/{concept.pk}/change/", second)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "changed by boss" in errors and "Typed by the first editor." in errors
    html = response.content.decode()
    assert 'value="Typed by the second editor"' in html
    concept.refresh_from_db()
    assert concept.note == "Typed by the first editor."
    assert concept.domain != "Typed by the second editor"
    # Saving the page again applies the second editor's change on top of the
    # first's: fields the second did not touch now hold the first's values.
    resent = response.context["adminform"].form.data.copy()
    response = boss.post(f"/admin/glossary/concept/{concept.pk}/change/", resent)
    assert response.status_code == 302
    concept.refresh_from_db()
    assert (concept.note, concept.domain) == (
        "Typed by the first editor.",
        "Typed by the second editor",
    )


def test_a_term_another_concept_has_is_saved_with_a_warning(boss):
    response = boss.post(
        "/admin/glossary/concept/add/",
        add_data("test-khorgos-again", [("en", "KHORGOS")]),
        follow=True,
    )
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("also a term of khorgos" in m for m in warnings), warnings
    assert Concept.objects.filter(slug="test-khorgos-again").exists()


def test_renaming_a_term_keeps_its_quotes(boss):
    concept = Concept.objects.get(slug="khorgos")
    term = concept.terms.get(language="en", text="Khorgos")
    quotes = set(term.quotes.values_list("pk", flat=True))
    data = change_form_data(boss, concept)
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-id") and key.startswith("terms-") and value == term.pk
    )
    data[f"terms-{index}-text"] = "Khorgos City"
    response = boss.post(f"/admin/glossary/concept/{concept.pk}/change/", data)
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.text == "Khorgos City" and term.search_key == "khorgos city"
    assert set(term.quotes.values_list("pk", flat=True)) == quotes


def test_the_history_page_shows_the_diff_between_two_versions(boss):
    concept = Concept.objects.get(slug="khorgos")
    data = change_form_data(boss, concept)
    data["note"] = "A border city."
    boss.post(f"/admin/glossary/concept/{concept.pk}/change/", data)
    response = boss.get(f"/admin/glossary/concept/{concept.pk}/history/")
    assert response.status_code == 200
    diff = [str(change) for change in response.context["diff"]]
    assert "note: — → A border city." in diff


def test_revert_from_the_history_page(boss):
    concept = Concept.objects.get(slug="khorgos")
    seeded = editing.concept_history(concept)[0]
    data = change_form_data(boss, concept)
    data["note"] = "A mistake."
    boss.post(f"/admin/glossary/concept/{concept.pk}/change/", data)
    url = f"/admin/glossary/concept/{concept.pk}/history/{seeded.id}/revert/"
    confirm = boss.get(url)
    assert "A mistake." in confirm.content.decode()
    assert boss.post(url).status_code == 302
    concept.refresh_from_db()
    assert concept.note == seeded.state.fields["note"]
    assert editing.concept_history(concept)[0].via == "revert"


def test_a_relation_shows_on_both_concepts_it_joins(boss):
    relation = ConceptRelation.objects.filter(kind="broader").first()
    html = boss.get(
        f"/admin/glossary/concept/{relation.target.pk}/change/"
    ).content.decode()
    assert relation.source.slug in html and "narrower" in html


def test_the_change_list_shows_every_language_and_deprecated_terms(boss):
    response = boss.get("/admin/glossary/concept/", {"deprecated": "yes"})
    slugs = [c.slug for c in response.context["cl"].result_list]
    assert "belt-and-road-initiative" in slugs and "khorgos" not in slugs
    headers = [column["text"] for column in response.context["result_headers"]]
    assert {"en", "kk", "kk-Latn", "zh-Hans", "ru"} <= set(headers)


def test_deleting_a_concept_in_the_admin_records_it(boss):
    concept = Concept.objects.get(slug="khorgos")
    response = boss.post(
        f"/admin/glossary/concept/{concept.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Concept.objects.filter(slug="khorgos").exists()


def save_after_another_editor(client, concept, term, theirs: dict, mine: dict):
    """The other editor saves `theirs` (a term row's field: value) first; this editor,
    who opened the page at the same time, saves `mine` (concept fields), is refused,
    and saves the page it got back."""
    first = change_form_data(client, concept)
    second = change_form_data(client, concept)
    row = next(
        key[: -len("-id")]
        for key, value in first.items()
        if key.startswith("terms-") and key.endswith("-id") and value == term.pk
    )
    first.update({f"{row}-{name}": value for name, value in theirs.items()})
    url = f"/admin/glossary/concept/{concept.pk}/change/"
    assert client.post(url, first).status_code == 302
    refused = client.post(url, {**second, **mine})
    assert refused.status_code == 200
    resent = refused.context["adminform"].form.data.copy()
    assert client.post(url, resent).status_code == 302
    term.refresh_from_db()
    concept.refresh_from_db()


def test_resaving_a_refused_form_keeps_the_other_editors_term_changes(boss):
    concept = Concept.objects.get(slug="khorgos")
    term = concept.terms.get(language="ru", status="preferred")
    save_after_another_editor(
        boss,
        concept,
        term,
        theirs={"usage_note": "Declined: в Хоргосе."},
        mine={"domain": "border crossings"},
    )
    assert term.usage_note == "Declined: в Хоргосе."
    assert concept.domain == "border crossings"


def test_resaving_a_refused_form_keeps_a_term_the_other_editor_renamed(boss):
    concept = Concept.objects.get(slug="khorgos")
    term = concept.terms.get(language="ru", status="preferred")
    save_after_another_editor(
        boss,
        concept,
        term,
        theirs={"text": "Хоргос (город)"},
        mine={"note": "Border city."},
    )
    assert (term.text, concept.note) == ("Хоргос (город)", "Border city.")
