import pytest

from glossary.models import Term, glossary_stamp


def current_glossary_version() -> int:
    return glossary_stamp()[0]


pytestmark = pytest.mark.django_db


def test_editing_a_term_raises_the_glossary_version(make_concept):
    concept = make_concept(en="Test Khorgos")
    before = current_glossary_version()
    term = concept.terms.get()
    term.text = "Test Khorgas"
    term.save()
    assert current_glossary_version() == before + 1


def test_deleting_a_term_raises_the_glossary_version(make_concept):
    concept = make_concept(en="Test Khorgos", ru="Тест")
    before = current_glossary_version()
    Term.objects.get(concept=concept, language="ru").delete()
    assert current_glossary_version() > before


def test_reading_does_not_change_the_version(api):
    before = current_glossary_version()
    api.get("/api/v1/lookup/", {"q": "Khorgos"})
    assert current_glossary_version() == before


@pytest.mark.parametrize("change", ["definition", "quote", "quote link"])
def test_editing_what_lookups_show_raises_the_glossary_version(change):
    from glossary.models import Concept, Definition, Quote

    concept = Concept.objects.get(slug="khorgos")
    before = current_glossary_version()
    if change == "definition":
        Definition.objects.filter(concept=concept).first().save()
    elif change == "quote":
        Quote.objects.filter(terms__concept=concept).first().delete()
    else:
        term = concept.terms.get(language="en", status="preferred")
        term.quotes.clear()
    assert current_glossary_version() > before


def test_a_deleted_quote_leaves_the_cached_lookup(api):
    from glossary.models import Quote

    before = api.get("/api/v1/lookup/", {"q": "Khorgos"}).json()
    assert before["results"][0]["quotes"]
    Quote.objects.filter(terms__concept__slug="khorgos").delete()
    after = api.get("/api/v1/lookup/", {"q": "Khorgos"}).json()
    assert after["results"][0]["quotes"] == []
