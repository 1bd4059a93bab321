"""One rule, one message, whichever face the bad concept comes through."""

import io
import shutil

import pytest
from django.contrib.auth import get_user_model

from glossary import editing, seed
from glossary.entries import ConceptEntry, ContextEntry, TermEntry
from glossary.errors import (
    ConceptRejected,
    GlossaryError,
    ImportRejected,
    SeedError,
    UnknownLanguage,
)
from glossary.formats import importer
from glossary.models import Concept, SourceDocument
from tests.admin_forms import concept_form
from tests.formats.helpers import database_state

pytestmark = pytest.mark.django_db

SECOND_PREFERRED = "more than one preferred term in ru ('Тест один', 'Тест два')"


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("boss", password="x")
    client.force_login(user)
    return client


def admin_form(slug: str, terms: list[tuple[str, str, str]]) -> dict:
    rows = [{"language": lang, "text": text, "status": st} for lang, text, st in terms]
    return concept_form(rows, slug=slug)


TWO_PREFERRED = [
    ("en", "Test one", "preferred"),
    ("ru", "Тест один", "preferred"),
    ("ru", "Тест два", "preferred"),
]


def test_the_admin_the_importer_and_the_seed_give_the_same_error(
    admin_client, tmp_path
):
    before = database_state()

    response = admin_client.post(
        "/admin/glossary/concept/add/", admin_form("test-twice", TWO_PREFERRED)
    )
    formset = response.context["inline_admin_formsets"][0].formset
    from_admin = " ".join(formset.forms[2].errors["status"])

    tbx = (
        '<?xml version="1.0"?><tbx type="TBX-Basic" style="dca" xml:lang="en" '
        'xmlns="urn:iso:std:iso:30042:ed-2"><text><body>'
        '<conceptEntry id="test-twice">'
        + "".join(
            f'<langSec xml:lang="{language}"><termSec><term>{text}</term>'
            '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>'
            "</termSec></langSec>"
            for language, text, _ in TWO_PREFERRED
        )
        + "</conceptEntry></body></text></tbx>"
    )
    with pytest.raises(ImportRejected) as rejected:
        importer.import_file(io.BytesIO(tbx.encode()), filename="twice.tbx")
    from_import = str(rejected.value)

    seed_folder_with_documents(tmp_path)
    (tmp_path / "concepts" / "twice.yaml").write_text(
        "- slug: test-twice\n  kind: place\n  terms:\n"
        "    en: [Test one]\n    ru: [Тест один, Тест два]\n",
        encoding="utf-8",
    )
    with pytest.raises(SeedError) as refused:
        seed.load_seed(tmp_path)
    from_seed = str(refused.value)

    for message in (from_admin, from_import, from_seed):
        assert SECOND_PREFERRED in message
    assert from_seed.startswith("twice.yaml: test-twice: ")
    assert database_state() == before


def seed_folder_with_documents(root):
    shutil.copytree(seed.SEED_DIR / "documents", root / "documents")
    (root / "concepts").mkdir()


def entry(**terms) -> ConceptEntry:
    return ConceptEntry(
        "test-entry",
        kind="place",
        terms=[TermEntry(language, text) for language, text in terms.items()],
        whole=True,
    )


def test_a_second_preferred_term_names_the_status_field(origin):
    before = database_state()
    bad = entry(en="Test")
    bad.terms.append(TermEntry("en", "Test again"))
    with pytest.raises(ConceptRejected) as error:
        editing.save_concept(bad, origin=origin)
    assert error.value.field == "status"
    assert "more than one preferred term in en" in str(error.value)
    assert database_state() == before


def test_an_excerpt_not_in_its_document_names_the_excerpt(origin):
    before = database_state()
    document = SourceDocument.objects.get(slug="tokayev-xinhua-2024")
    with pytest.raises(GlossaryError) as error:
        editing.save_quote(
            document=document, excerpt="Khorgos is in France", origin=origin
        )
    assert error.value.field == "excerpt"
    assert "not in the document" in str(error.value)
    assert database_state() == before


def test_a_context_not_in_its_document_is_refused_by_the_seed_and_writes_nothing(
    tmp_path,
):
    seed_folder_with_documents(tmp_path)
    (tmp_path / "concepts" / "bad.yaml").write_text(
        "- slug: test-bad-quote\n  kind: place\n  terms:\n    en: [Khorgos]\n"
        "  quotes:\n    - document: tokayev-xinhua-2024\n"
        "      excerpt: Khorgos is in France\n      terms: [Khorgos]\n",
        encoding="utf-8",
    )
    before = database_state()
    with pytest.raises(SeedError, match="not in the document"):
        seed.load_seed(tmp_path)
    assert database_state() == before


def test_an_unknown_language_names_the_language_field(origin):
    before = database_state()
    with pytest.raises(UnknownLanguage) as error:
        editing.save_concept(entry(en="Test", fr="Essai"), origin=origin)
    assert error.value.field == "language"
    assert "'fr'" in str(error.value)
    assert database_state() == before


def test_a_stale_version_names_the_version_field_and_what_changed(origin):
    concept, _ = editing.save_concept(entry(en="Test Stale"), origin=origin)
    opened = concept.version
    newer = entry(en="Test Stale")
    newer.note = "Typed by the first editor."
    newer.version = opened
    editing.save_concept(newer, origin=origin)
    before = database_state()
    stale = entry(en="Test Stale", ru="Тест")
    stale.version = opened
    with pytest.raises(ConceptRejected) as error:
        editing.save_concept(stale, origin=origin)
    assert error.value.field == "version"
    assert "Typed by the first editor." in str(error.value)
    assert database_state() == before
    assert Concept.objects.get(slug="test-entry").note == "Typed by the first editor."


def test_a_term_longer_than_its_field_names_the_text_field(origin):
    before = database_state()
    with pytest.raises(ConceptRejected) as error:
        editing.save_concept(entry(en="x" * 301), origin=origin)
    assert error.value.field == "text"
    assert "longer than 300 characters" in str(error.value)
    assert database_state() == before


def test_a_context_of_a_known_document_becomes_a_quote_at_its_offsets(origin):
    wanted = entry(en="Khorgos – Eastern Gate SEZ")
    wanted.terms[0].contexts = [
        ContextEntry("the Khorgos – Eastern Gate SEZ", "tokayev-xinhua-2024")
    ]
    concept, _ = editing.save_concept(wanted, origin=origin)
    quote = concept.terms.get().quotes.get()
    assert quote.document.text[quote.start : quote.end] == quote.excerpt
