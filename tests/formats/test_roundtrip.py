"""Export, import into an empty glossary, export again: the same document."""

import io

import pytest

from glossary.formats import importer
from glossary.models import Concept, Quote, Term

from .helpers import canonical, database_state, export

pytestmark = pytest.mark.django_db


def reimport(data: bytes, filename: str):
    # Deleting the concepts keeps documents and quotes, as a restore would find them.
    Concept.objects.all().delete()
    return importer.import_file(io.BytesIO(data), filename=filename)


@pytest.mark.parametrize("file_format", ["tbx", "tbx2"])
def test_the_full_seed_glossary_survives_a_tbx_round_trip(file_format):
    concepts, terms = Concept.objects.count(), Term.objects.count()
    links = Quote.terms.through.objects.count()
    first = export(file_format)
    report = reimport(first, "glossary.tbx")
    assert (report.created, report.conflicts, report.warnings) == (concepts, 0, 0)
    assert (Term.objects.count(), Quote.terms.through.objects.count()) == (terms, links)
    assert canonical(export(file_format)) == canonical(first)


def test_a_transliteration_and_a_digit_slug_survive_the_round_trip(make_concept):
    concept = make_concept("2024-test-transliterated", en="Test Original")
    Term.objects.create(
        concept=concept,
        language="en",
        text="Test Orijinal",
        status="deprecated",
        term_type="transliteration",
        part_of_speech="noun",
    )
    first = export("tbx")
    reimport(first, "glossary.tbx")
    assert canonical(export("tbx")) == canonical(first)
    assert Term.objects.get(text="Test Orijinal").term_type == "transliteration"


@pytest.mark.parametrize("file_format", ["csv", "tsv"])
def test_the_full_seed_glossary_survives_a_table_round_trip(file_format):
    first = export(file_format)
    report = reimport(first, f"glossary.{file_format}")
    assert report.conflicts == 0
    assert export(file_format) == first


def test_importing_our_own_export_again_changes_nothing():
    before = database_state()
    report = importer.import_file(io.BytesIO(export("tbx")), filename="again.tbx")
    assert report.unchanged == Concept.objects.count()
    assert (report.created, report.updated, report.warnings) == (0, 0, 0)
    assert database_state() == before
