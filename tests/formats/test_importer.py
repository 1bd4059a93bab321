import io

import pytest

from glossary import exporter
from glossary.errors import ImportRejected, UnknownLanguage, UnsupportedFile
from glossary.formats import importer
from glossary.models import (
    Concept,
    ConceptRelation,
    Quote,
    SourceDocument,
    Term,
    glossary_stamp,
)

from .helpers import SAMPLES, SHARED_SAMPLES, database_state, export

pytestmark = pytest.mark.django_db

HEAD = (
    '<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" '
    'xml:lang="en">'
)


def tbx(body: str) -> bytes:
    """A TBX file whose body is these lines, so line numbers are predictable."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{HEAD}\n'
        "<tbxHeader><fileDesc><sourceDesc><p>Test</p></sourceDesc></fileDesc>"
        f"</tbxHeader>\n<text><body>\n{body}\n</body></text></tbx>\n"
    ).encode()


def term(text: str, status: str = "preferred") -> str:
    return (
        f"<termSec><term>{text}</term><termNote type="
        f'"administrativeStatus">{status}Term-admn-sts</termNote></termSec>'
    )


def run(data: bytes, filename: str = "test.tbx", **options):
    return importer.import_file(io.BytesIO(data), filename=filename, **options)


def outcomes(report) -> dict[str, str]:
    return {
        item.id: item.outcome
        for item in report.items
        if item.outcome in ("created", "updated", "unchanged")
    }


def test_a_new_entry_creates_a_draft_concept_with_its_terms():
    data = tbx(
        '<conceptEntry id="test-new"><note>kind: event</note>\n'
        f'<langSec xml:lang="en">{term("Test Forum")}</langSec>\n'
        f'<langSec xml:lang="zh-CN">{term("测试论坛")}</langSec></conceptEntry>'
    )
    report = run(data)
    assert (report.created, report.written) == (1, True)
    concept = Concept.objects.get(slug="test-new")
    assert (concept.kind, concept.status) == ("event", "draft")
    assert set(concept.terms.values_list("language", "text", "status")) == {
        ("en", "Test Forum", "preferred"),
        ("zh-Hans", "测试论坛", "preferred"),
    }
    assert concept.terms.get(language="en").search_key == "test forum"


def test_a_dry_run_reports_what_would_change_and_writes_nothing(make_concept):
    make_concept("test-dry", en="Test Dry")
    before = database_state()
    data = tbx(
        f'<conceptEntry id="test-dry"><langSec xml:lang="en">{term("Test Dry")}'
        f"{term('Test Wet', 'admitted')}</langSec></conceptEntry>\n"
        f'<conceptEntry id="test-dry-new"><langSec xml:lang="en">{term("Test New")}'
        "</langSec></conceptEntry>"
    )
    report = run(data, dry_run=True)
    assert outcomes(report) == {"test-dry": "updated", "test-dry-new": "created"}
    assert report.of("updated")[0].message == "changes terms"
    assert not report.written
    assert database_state() == before


def test_a_conflict_rejects_the_whole_file_naming_the_entry_and_line(make_concept):
    make_concept("test-keep", en="Test Keep")
    before = database_state()
    data = tbx(
        f'<conceptEntry id="test-fine"><langSec xml:lang="en">{term("Test Fine")}'
        "</langSec></conceptEntry>\n"
        '<conceptEntry id="test-keep"><langSec xml:lang="en">\n'
        f"{term('Test One')}\n{term('Test Two')}\n</langSec></conceptEntry>"
    )
    with pytest.raises(ImportRejected) as rejected:
        run(data)
    message = str(rejected.value)
    assert "test-keep (line 8): more than one preferred term in en" in message
    assert "'Test One', 'Test Two'" in message
    assert rejected.value.report.conflicts == 1
    assert database_state() == before


def test_a_dry_run_lists_conflicts_instead_of_raising():
    data = tbx(
        '<conceptEntry id="test bad id"><langSec xml:lang="en">'
        f"{term('Test Bad Id')}</langSec></conceptEntry>"
    )
    report = run(data, dry_run=True)
    (conflict,) = report.of("conflict")
    assert conflict.id == "test bad id" and "is no slug" in conflict.message


def test_unknown_language_tags_are_named_together_with_their_lines():
    data = tbx(
        f'<conceptEntry id="test-langs"><langSec xml:lang="xx">{term("A1")}</langSec>'
        f'\n<langSec xml:lang="en">{term("A2")}</langSec>\n'
        f'<langSec xml:lang="klingon">{term("A3")}</langSec></conceptEntry>'
    )
    with pytest.raises(UnknownLanguage) as error:
        run(data)
    assert "'xx', 'klingon'" in str(error.value)
    assert "'xx' at line 5" in str(error.value)
    assert "'klingon' at line 7" in str(error.value)


def test_languages_missing_from_an_entry_are_left_alone():
    concept = Concept.objects.get(slug="khorgos")
    kazakh = set(concept.terms.filter(language="kk").values_list("text", "status"))
    data = tbx(
        '<conceptEntry id="khorgos"><langSec xml:lang="en">'
        f"{term('Khorgos')}</langSec></conceptEntry>"
    )
    report = run(data)
    assert outcomes(report) == {"khorgos": "updated"}
    assert set(concept.terms.filter(language="en").values_list("text", flat=True)) == {
        "Khorgos"
    }
    assert (
        set(concept.terms.filter(language="kk").values_list("text", "status")) == kazakh
    )


def test_a_table_row_makes_its_cell_preferred_and_keeps_the_former_admitted():
    report = run(b"id,en\nkhorgos,Khorgas\n", "terms.csv")
    assert outcomes(report) == {"khorgos": "updated"}
    english = dict(
        Term.objects.filter(concept__slug="khorgos", language="en").values_list(
            "text", "status"
        )
    )
    assert english == {"Khorgas": "preferred", "Khorgos": "admitted"}
    assert Concept.objects.get(slug="khorgos").kind == "place"


def test_a_row_without_id_finds_the_concept_by_its_preferred_term():
    report = run("en,ru\nKhorgos,Хоргос\n".encode(), "terms.csv", dry_run=True)
    assert outcomes(report) == {"khorgos": "unchanged"}


def test_a_row_without_id_or_match_creates_a_concept_with_a_slug_from_its_term():
    report = run(
        "en,ru\nTest Corridor,Тестовый коридор\n,Тестовый мост\n".encode(),
        "terms.csv",
        kind="project",
    )
    assert outcomes(report) == {
        "test-corridor": "created",
        "testovyi-most": "created",
    }
    assert Concept.objects.get(slug="test-corridor").kind == "project"
    (warning,) = report.of("warning")
    assert "2 new concept(s) have no kind" in warning.message


def test_a_generated_slug_never_takes_an_existing_one(make_concept):
    make_concept("test-corridor", en="Test Other")
    report = run(b"en\nTest Corridor\n", "terms.csv")
    assert outcomes(report) == {"test-corridor-2": "created"}


def test_a_generated_slug_never_takes_one_the_file_gives():
    report = run(b"id,en\n,Test Corridor\ntest-corridor,Test Other\n", "terms.csv")
    assert outcomes(report) == {
        "test-corridor-2": "created",
        "test-corridor": "created",
    }


def test_a_row_whose_term_two_concepts_prefer_is_a_conflict(make_concept):
    make_concept("test-twin-a", en="Test Twin")
    make_concept("test-twin-b", en="Test Twin")
    report = run(b"en\nTest Twin\n", "terms.csv", dry_run=True)
    (conflict,) = report.of("conflict")
    assert conflict.line == 2 and "test-twin-a, test-twin-b" in conflict.message


def test_a_context_from_a_known_document_links_the_existing_quote():
    quote = Quote.objects.select_related("document").order_by("pk").first()
    data = tbx(
        '<conceptEntry id="test-quoted"><langSec xml:lang="en"><termSec>'
        "<term>Test Quoted</term><descripGrp>"
        f'<descrip type="context">{quote.excerpt}</descrip>'
        f'<admin type="source">{quote.document.citation}</admin>'
        "</descripGrp></termSec></langSec></conceptEntry>"
    )
    count = Quote.objects.count()
    run(data)
    term = Term.objects.get(text="Test Quoted")
    assert list(term.quotes.all()) == [quote]
    assert Quote.objects.count() == count


def test_a_context_quoting_a_document_anew_becomes_a_quote_at_its_offsets():
    document = SourceDocument.objects.get(slug="tokayev-xinhua-2024")
    excerpt = document.text[1000:1040]
    assert document.text.count(excerpt) == 1
    assert not Quote.objects.filter(document=document, start=1000).exists()
    data = tbx(
        '<conceptEntry id="test-new-quote"><langSec xml:lang="en"><termSec>'
        f"<term>Test New Quote</term><descripGrp><descrip type='context'>{excerpt}"
        f"</descrip><admin type='source'>{document.slug}</admin></descripGrp>"
        "</termSec></langSec></conceptEntry>"
    )
    run(data)
    quote = Term.objects.get(text="Test New Quote").quotes.get()
    assert (quote.document, quote.start, quote.end) == (document, 1000, 1040)


def test_a_context_that_can_be_no_quote_is_a_warning_and_keeps_the_quotes():
    term_ = Term.objects.filter(quotes__isnull=False, language="en").first()
    linked = set(term_.quotes.all())
    data = tbx(
        f'<conceptEntry id="{term_.concept.slug}"><langSec xml:lang="en">'
        f"<termSec><term>{term_.text}</term><termNote type='administrativeStatus'>"
        f"{term_.status}Term-admn-sts</termNote><descripGrp>"
        "<descrip type='context'>Words from somewhere else.</descrip>"
        "<admin type='source'>A newspaper we do not hold</admin></descripGrp>"
        "<descripGrp><descrip type='context'>Not in the document at all.</descrip>"
        "<admin type='source'>tokayev-xinhua-2024</admin></descripGrp>"
        "</termSec></langSec></conceptEntry>"
    )
    report = run(data, dry_run=True)
    first, second = report.of("warning")
    assert "no document here is cited as 'A newspaper we do not hold'" in (
        first.message
    )
    assert first.line == 5
    assert "tokayev-xinhua-2024" in second.message and "not in the document" in (
        second.message
    )
    run(data)
    assert set(Term.objects.get(pk=term_.pk).quotes.all()) == linked


def test_a_relation_to_an_unknown_concept_is_left_out_with_a_warning():
    data = tbx(
        '<conceptEntry id="test-related">'
        '<ref type="crossReference" target="no-such-concept">related</ref>'
        '<ref type="crossReference" target="khorgos">narrower</ref>'
        f'<langSec xml:lang="en">{term("Test Related")}</langSec></conceptEntry>'
    )
    report = run(data)
    (warning,) = [w for w in report.of("warning") if w.code == "unknown_target"]
    assert "'no-such-concept', which is no concept" in warning.message
    relations = ConceptRelation.objects.filter(source__slug="test-related")
    assert list(relations.values_list("kind", "target__slug")) == [
        ("narrower", "khorgos")
    ]


def test_a_relation_to_the_concept_itself_is_a_conflict():
    data = tbx(
        '<conceptEntry id="test-self">'
        '<ref type="crossReference" target="test-self">related</ref>'
        f'<langSec xml:lang="en">{term("Test Self")}</langSec></conceptEntry>'
    )
    report = run(data, dry_run=True)
    assert report.of("conflict")[0].message == "a relation to the concept itself"


def test_the_hand_written_martif_sample_imports_with_warnings_for_what_has_no_field():
    report = run((SAMPLES / "termbase-v2.tbx").read_bytes(), "termbase-v2.tbx")
    assert outcomes(report) == {
        "test-v2-dry-port": "created",
        "test-v2-khorgos": "created",
    }
    port = Concept.objects.get(slug="test-v2-dry-port")
    assert port.domain == "transport and logistics"
    assert dict(port.terms.values_list("text", "status")) == {
        "dry port": "preferred",
        "inland port": "admitted",
        "сухой порт": "preferred",
    }
    assert port.definitions.get().source == "Test termbase"
    assert list(port.relations.values_list("kind", "target__slug")) == [
        ("related", "test-v2-khorgos")
    ]
    chinese = Term.objects.get(concept__slug="test-v2-khorgos", language="zh-Hans")
    assert chinese.romanization == "Cèshì Huò'ěrguǒsī"
    messages = [item.message for item in report.of("warning")]
    assert (
        "termNote grammaticalGender: the glossary has no field for it; 1 left out"
        in (messages)
    )


def test_the_shared_tbx_basic_sample_imports():
    data = (SHARED_SAMPLES / "glossary-basic.tbx").read_bytes()
    report = run(data, "glossary-basic.tbx", dry_run=True)
    assert (report.created, report.conflicts) == (2, 0)


def test_an_import_raises_the_glossary_version():
    version = glossary_stamp()[0]
    run(b"en\nTest Versioned\n", "terms.csv")
    assert glossary_stamp()[0] > version


def test_an_import_keeps_the_dates_a_concept_was_made_and_changed_on(make_concept):
    concept = make_concept("test-dated", en="Test Dated")
    data = export("tbx", exporter.select_concepts(slugs=["test-dated"]))
    concept.delete()
    run(data)
    restored = Concept.objects.get(slug="test-dated")
    assert (restored.created, restored.updated) == (concept.created, concept.updated)


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("glossary.pdf", "Cannot import 'glossary.pdf'"),
        ("glossary.tmx", "A TMX file holds translation units"),
        ("glossary", "Cannot import 'glossary'"),
    ],
)
def test_a_file_of_another_type_is_refused(filename, message):
    with pytest.raises(UnsupportedFile, match=message):
        run(b"whatever", filename)


@pytest.mark.parametrize("written", ["KHORGOS", "Khorgos.", "khorgos"])
def test_a_row_without_id_finds_its_concept_by_the_search_key(written):
    report = run(f"en,ru\n{written},Хоргос\n".encode(), "rows.csv")
    assert report.created == 0
    assert [item.id for item in report.of("unchanged") + report.of("updated")] == [
        "khorgos"
    ]


def test_a_new_term_another_concept_has_is_a_warning_naming_that_concept(make_concept):
    make_concept("test-first-gate", en="Test Eastern Gate")
    data = b"id,en\ntest-second-gate,TEST EASTERN GATE\n"
    report = run(data, "gates.csv", dry_run=True)
    (warning,) = [w for w in report.of("warning") if w.code == "duplicate_term"]
    assert "test-first-gate" in warning.message
    assert warning.id == "test-second-gate"
    assert report.created == 1 and report.conflicts == 0
