"""Every write is recorded with who, when, through which path; any version reverts."""

import io

import pytest

from glossary import editing, seed
from glossary.entries import ConceptEntry, RelationEntry, TermEntry
from glossary.formats import importer
from glossary.models import Concept, Quote, SourceDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(role_user):
    return role_user("admin", "editor")


def entry(note="", **terms) -> ConceptEntry:
    return ConceptEntry(
        "test-history",
        kind="place",
        note=note,
        terms=[TermEntry(language, text) for language, text in terms.items()],
        whole=True,
    )


def test_a_save_records_the_new_state_with_user_and_path(editor):
    origin = editing.Origin("api", editor)
    concept, _ = editing.save_concept(entry(en="Test History"), origin=origin)
    (version,) = editing.concept_history(concept)
    assert (version.number, version.user, version.via) == (1, editor, "api")
    assert ("en", "Test History") in version.state.terms


def test_each_change_is_a_version_with_old_and_new_values(editor):
    origin = editing.Origin("admin", editor)
    editing.save_concept(entry(en="Test History"), origin=origin)
    concept, _ = editing.save_concept(
        entry(note="Checked.", en="Test History", ru="Тест"), origin=origin
    )
    newer, older = editing.concept_history(concept)
    assert (newer.number, older.number) == (2, 1)
    changes = {str(change) for change in editing.changes(older.state, newer.state)}
    assert "note: — → Checked." in changes
    assert "term ru “Тест”: — → preferred" in changes


def test_an_import_is_recorded_with_its_file_name():
    data = b"id,en\ntest-imported,Test Imported\n"
    importer.import_file(io.BytesIO(data), filename="upload.csv")
    (version,) = editing.concept_history(Concept.objects.get(slug="test-imported"))
    assert (version.via, version.detail) == ("import", "upload.csv")


def test_the_seed_load_is_recorded():
    khorgos = Concept.objects.get(slug="khorgos")
    versions = editing.concept_history(khorgos)
    assert versions and versions[-1].via == "seed"
    assert versions[-1].state.terms[("en", "Khorgos")].quotes


def test_a_revert_writes_the_old_state_as_a_new_recorded_change(editor):
    origin = editing.Origin("admin", editor)
    editing.save_concept(entry(en="Test History", ru="Тест"), origin=origin)
    concept, _ = editing.save_concept(
        entry(note="Wrong.", en="Test History"), origin=origin
    )
    first = editing.concept_history(concept)[-1]
    concept, _ = editing.revert_concept(concept, first.id, origin=origin)
    assert concept.note == ""
    assert set(concept.terms.values_list("language", "text")) == {
        ("en", "Test History"),
        ("ru", "Тест"),
    }
    latest = editing.concept_history(concept)[0]
    assert (latest.number, latest.via, latest.user) == (3, "revert", editor)
    assert latest.detail == "reverted to version 1"


def test_a_revert_restores_the_quotes_of_the_terms(origin):
    khorgos = Concept.objects.get(slug="khorgos")
    seeded = editing.concept_history(khorgos)[0]
    term = khorgos.terms.get(language="en", text="Khorgos")
    quotes = set(term.quotes.values_list("pk", flat=True))
    editing.delete_term(term, origin=origin)
    khorgos.refresh_from_db()
    editing.revert_concept(khorgos, seeded.id, origin=origin)
    restored = khorgos.terms.get(language="en", text="Khorgos")
    assert set(restored.quotes.values_list("pk", flat=True)) == quotes


def test_a_revert_goes_through_the_rules_like_any_change(origin):
    other, _ = editing.save_concept(
        ConceptEntry("test-other", kind="place", terms=[TermEntry("en", "Other")]),
        origin=origin,
    )
    related = entry(en="Test History")
    related.relations = [RelationEntry("related", "test-other")]
    concept, _ = editing.save_concept(related, origin=origin)
    first = editing.concept_history(concept)[0]
    editing.save_concept(entry(en="Test History"), origin=origin)
    editing.delete_concept(other, origin=origin)
    concept.refresh_from_db()
    concept, report = editing.revert_concept(concept, first.id, origin=origin)
    (warning,) = report.of("warning")
    assert warning.code == "unknown_target" and "'test-other'" in warning.message
    assert not concept.relations.exists()


def test_a_quote_change_records_the_concepts_it_attests(origin):
    khorgos = Concept.objects.get(slug="khorgos")
    before = len(editing.concept_history(khorgos))
    document = SourceDocument.objects.get(slug="tokayev-xinhua-2024")
    term = khorgos.terms.get(language="en", text="Khorgos")
    editing.save_quote(
        document=document,
        excerpt="I was impressed by the modern laboratories",
        terms=[term],
        origin=origin,
    )
    history = editing.concept_history(khorgos)
    assert len(history) == before + 1
    assert Quote.objects.filter(excerpt__startswith="I was impressed").exists()


def test_a_deleted_concept_keeps_its_last_state_in_the_history(origin):
    concept, _ = editing.save_concept(entry(en="Test History"), origin=origin)
    pk = concept.pk
    editing.delete_concept(concept, origin=origin)
    assert not Concept.objects.filter(pk=pk).exists()
    from reversion.models import Version

    (deleted,) = Version.objects.get_deleted(Concept).filter(object_id=str(pk))
    assert deleted.revision.comment == "deleted"


def test_an_unchanged_seed_load_records_nothing():
    khorgos = Concept.objects.get(slug="khorgos")
    before = len(editing.concept_history(khorgos))
    seed.load_seed()
    assert len(editing.concept_history(khorgos)) == before
