import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from glossary import editing
from glossary.errors import GlossaryError
from glossary.models import Concept, ConceptRelation, Quote, SourceDocument, Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    return SourceDocument.objects.create(
        slug="test-doc",
        title="Test",
        language="en",
        text="The Khorgos – Eastern Gate SEZ lies on the border.",
    )


def test_a_term_gets_its_search_key_on_save(make_concept):
    concept = make_concept(en="Xi’an")
    assert concept.terms.get().search_key == "xian"


def test_the_database_refuses_the_same_term_twice(make_concept):
    concept = make_concept(en="Khorgos")
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(
            concept=concept, language="en", text="Khorgos", status="admitted"
        )


def test_the_database_refuses_a_second_preferred_term_in_a_language(make_concept):
    concept = make_concept(en="Khorgos")
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(concept=concept, language="en", text="Khorgas")


def test_a_second_preferred_term_in_another_language_is_fine(make_concept):
    concept = make_concept(en="Khorgos")
    Term.objects.create(concept=concept, language="ru", text="Хоргос")
    assert concept.terms.filter(status="preferred").count() == 2


def test_admitted_terms_may_be_many(make_concept):
    concept = make_concept(
        en=[("Khorgos", "preferred"), ("Khorgas", "admitted"), ("Korgas", "admitted")]
    )
    assert concept.terms.count() == 3


def test_model_validation_reports_a_second_preferred_term(make_concept):
    concept = make_concept(en="Khorgos")
    term = Term(concept=concept, language="en", text="Khorgas")
    with pytest.raises(ValidationError) as error:
        term.full_clean()
    assert "only one preferred term" in str(error.value)


def test_the_database_refuses_an_unknown_language(make_concept):
    concept = make_concept(en="Khorgos")
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(concept=concept, language="fr", text="Khorgos")


def test_a_quote_must_be_the_documents_text_at_its_offsets(document, origin):
    with pytest.raises(GlossaryError) as error:
        editing.save_quote(
            document=document,
            excerpt="Khorgos",
            start=0,
            end=7,
            origin=origin,
        )
    assert error.value.field == "excerpt"
    assert not Quote.objects.filter(document=document, start=0).exists()


def test_a_verbatim_quote_is_saved(document):
    start = document.text.index("Khorgos")
    quote = Quote.objects.create(
        document=document, excerpt="Khorgos – Eastern Gate", start=start, end=start + 22
    )
    assert document.text[quote.start : quote.end] == quote.excerpt


def test_the_database_refuses_offsets_out_of_order(document):
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.bulk_create(
            [Quote(document=document, excerpt="The", start=3, end=0)]
        )


def test_the_database_refuses_offsets_that_disagree_with_the_excerpt_length(document):
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.bulk_create(
            [Quote(document=document, excerpt="The Khorgos", start=0, end=3)]
        )


def test_a_concept_cannot_relate_to_itself(make_concept):
    concept = make_concept(en="Khorgos")
    with pytest.raises(IntegrityError), transaction.atomic():
        ConceptRelation.objects.create(source=concept, target=concept, kind="related")


def test_saving_a_concept_raises_its_version(make_concept):
    concept = make_concept(en="Khorgos")
    assert concept.version == 1
    concept.note = "Border city."
    concept.save()
    assert concept.version == 2
    assert Concept.objects.get(pk=concept.pk).version == 2


def test_str_is_what_an_editor_recognizes(make_concept, document):
    concept = make_concept("khorgos-test", en="Khorgos")
    assert str(concept) == "khorgos-test"
    assert str(concept.terms.get()) == "Khorgos [en]"


def test_postgresql_has_a_trigram_index_on_search_keys():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm exists only on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'term_key_trgm_idx'"
        )
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition
