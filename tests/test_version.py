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
