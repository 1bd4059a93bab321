import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from glossary import seed
from glossary.errors import SeedError
from glossary.models import Concept, ConceptRelation, Quote, SourceDocument, Term

pytestmark = pytest.mark.django_db

SAMPLE = """\
- slug: test-khorgos
  kind: place
  domain: geography
  status: approved
  definitions:
    en: City on the Kazakhstan–China border.
  terms:
    en:
      - text: Khorgos
    zh-Hans:
      - text: 霍尔果斯
        romanization: Huò'ěrguǒsī
    kk:
      - text: Қорғас
    ru:
      - text: Хоргос
  quotes:
    - document: tokayev-xinhua-2024
      excerpt: the dry port in Xi’an and the Khorgos – Eastern Gate SEZ
- slug: test-eastern-gate
  kind: place
  status: draft
  note: Russian form unsure.
  terms:
    en:
      - text: Khorgos – Eastern Gate
      - text: Khorgos – Eastern Gate SEZ
        status: admitted
        term_type: shortForm
  quotes:
    - document: tokayev-xinhua-2024
      excerpt: the dry port in Xi’an and the Khorgos – Eastern Gate SEZ
  relations:
    - kind: broader
      target: test-khorgos
"""


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    shutil.copytree(seed.SEED_DIR / "documents", tmp_path / "documents")
    (tmp_path / "concepts").mkdir()
    (tmp_path / "concepts" / "places.yaml").write_text(SAMPLE, encoding="utf-8")
    return tmp_path


def snapshot() -> dict:
    return {
        "concepts": sorted(
            Concept.objects.values_list("slug", "status", "version", "note")
        ),
        "terms": sorted(
            Term.objects.values_list(
                "concept__slug", "language", "text", "status", "pk"
            )
        ),
        "quotes": sorted(
            Quote.objects.values_list("document__slug", "start", "end", "pk")
        ),
        "links": sorted(Quote.terms.through.objects.values_list("quote_id", "term_id")),
        "relations": sorted(
            ConceptRelation.objects.values_list("source__slug", "kind", "target__slug")
        ),
        "documents": sorted(SourceDocument.objects.values_list("slug", "title")),
    }


def test_loading_finds_the_quote_offsets(seed_dir):
    seed.load_seed(seed_dir)
    term = Term.objects.get(concept__slug="test-khorgos", language="en")
    quote = term.quotes.get()
    assert quote.document.text[quote.start : quote.end] == quote.excerpt
    assert quote.excerpt.startswith("the dry port in Xi’an")


def test_one_quote_serves_every_concept_it_attests(seed_dir):
    seed.load_seed(seed_dir)
    quote = Term.objects.get(text="Khorgos", concept__slug="test-khorgos").quotes.get()
    attested = set(quote.terms.values_list("text", flat=True))
    assert {
        "Khorgos",
        "Khorgos – Eastern Gate",
        "Khorgos – Eastern Gate SEZ",
    } <= attested


def test_loading_twice_leaves_the_same_state(seed_dir):
    seed.load_seed(seed_dir)
    first = snapshot()
    summary = seed.load_seed(seed_dir)
    assert snapshot() == first
    assert summary.created == 0 and summary.updated == 0


def test_a_changed_entry_updates_the_concept_with_its_slug(seed_dir):
    seed.load_seed(seed_dir)
    path = seed_dir / "concepts" / "places.yaml"
    path.write_text(
        SAMPLE.replace(
            "      - text: Хоргос",
            "      - text: Хоргос\n      - text: Коргас\n        status: deprecated",
        ),
        encoding="utf-8",
    )
    summary = seed.load_seed(seed_dir)
    assert summary.updated == 1
    assert Concept.objects.filter(slug="test-khorgos").count() == 1
    assert Term.objects.get(text="Коргас").status == "deprecated"


def test_a_preferred_term_can_be_swapped_with_an_admitted_one(seed_dir):
    seed.load_seed(seed_dir)
    path = seed_dir / "concepts" / "places.yaml"
    gate, sez = (
        "      - text: Khorgos – Eastern Gate\n",
        "      - text: Khorgos – Eastern Gate SEZ\n",
    )
    admitted = "        status: admitted\n"
    swapped = SAMPLE.replace(gate + sez + admitted, gate + admitted + sez)
    assert swapped != SAMPLE
    path.write_text(swapped, encoding="utf-8")
    seed.load_seed(seed_dir)
    assert Term.objects.get(
        concept__slug="test-eastern-gate", status="preferred"
    ).text == ("Khorgos – Eastern Gate SEZ")


def test_an_unchanged_seed_keeps_edits_made_in_the_admin(seed_dir):
    seed.load_seed(seed_dir)
    Concept.objects.filter(slug="test-khorgos").update(note="Edited by an editor.")
    seed.load_seed(seed_dir)
    assert Concept.objects.get(slug="test-khorgos").note == "Edited by an editor."


def test_relations_are_loaded(seed_dir):
    seed.load_seed(seed_dir)
    relation = ConceptRelation.objects.get(source__slug="test-eastern-gate")
    assert (relation.kind, relation.target.slug) == ("broader", "test-khorgos")


BROKEN = {
    "missing excerpt": (
        "excerpt: the dry port in Xi’an and the Khorgos – Eastern Gate SEZ",
        "excerpt: the dry port in Xian and the Khorgos",
        "not in the document",
    ),
    "ambiguous excerpt": (
        "excerpt: the dry port in Xi’an and the Khorgos – Eastern Gate SEZ",
        "excerpt: SCO\n      terms: [Khorgos]",
        "more than once",
    ),
    "two preferred terms": (
        "      - text: Хоргос",
        "      - text: Хоргос\n      - text: Коргас",
        "more than one preferred term in ru",
    ),
    "unknown language": ("    ru:\n", "    fr:\n", "Unknown language 'fr'"),
    "unknown kind": ("kind: place", "kind: planet", "kind 'planet'"),
    "unknown relation target": ("target: test-khorgos", "target: nowhere", "'nowhere'"),
    "unknown key": (
        "  domain: geography",
        "  domian: geography",
        "unknown key(s) domian",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_file_names_the_file_and_entry_and_writes_nothing(seed_dir, case):
    old, new, message = BROKEN[case]
    path = seed_dir / "concepts" / "places.yaml"
    assert old in SAMPLE
    path.write_text(SAMPLE.replace(old, new, 1), encoding="utf-8")
    before = snapshot()
    with pytest.raises(SeedError) as error:
        seed.load_seed(seed_dir)
    assert str(error.value).startswith("places.yaml: test-")
    assert message in str(error.value)
    assert snapshot() == before


def test_an_error_found_by_the_database_rolls_back_everything(seed_dir):
    # Both entries pass the file checks; the second repeats a slug in another file.
    (seed_dir / "concepts" / "more.yaml").write_text(
        "- slug: test-khorgos\n  kind: place\n  terms:\n    en: [Khorgos]\n",
        encoding="utf-8",
    )
    before = snapshot()
    with pytest.raises(SeedError) as error:
        seed.load_seed(seed_dir)
    assert "slug already used in more.yaml" in str(error.value)
    assert snapshot() == before


def test_invalid_yaml_is_reported_with_its_file(seed_dir):
    (seed_dir / "concepts" / "places.yaml").write_text(
        "- slug: [unclosed", encoding="utf-8"
    )
    with pytest.raises(SeedError, match=r"^places.yaml: not valid YAML"):
        seed.load_seed(seed_dir)


def test_a_changed_document_text_is_refused(seed_dir):
    text = seed_dir / "documents" / "tokayev-xinhua-2024.txt"
    text.write_text(text.read_text(encoding="utf-8") + " ", encoding="utf-8")
    with pytest.raises(SeedError, match="differs from the text received"):
        seed.load_seed(seed_dir)


# The real seed glossary: the data is evidence, so it is checked like code.


def test_the_seed_documents_are_kept_byte_for_byte():
    for meta_path in (seed.SEED_DIR / "documents").glob("*.yaml"):
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
        raw = meta_path.with_suffix(".txt").read_bytes()
        assert hashlib.sha256(raw).hexdigest() == meta["sha256"], meta_path.name


def test_every_seed_quote_is_verbatim_at_its_offsets():
    quotes = Quote.objects.select_related("document")
    assert quotes.exists()
    for quote in quotes:
        assert quote.document.text[quote.start : quote.end] == quote.excerpt


def test_every_seed_concept_has_a_quote():
    unquoted = Concept.objects.exclude(terms__quotes__isnull=False).values_list(
        "slug", flat=True
    )
    assert list(unquoted) == []


def test_the_seed_has_the_core_concepts_in_the_four_languages():
    for slug in [
        "nurly-zhol",
        "lu-ban-workshop",
        "khorgos",
        "khorgos-eastern-gate",
        "belt-and-road-initiative",
        "silk-road-economic-belt",
        "shanghai-cooperation-organisation",
        "cica",
        "astana-international-financial-centre",
        "xinhua",
        "astana",
        "almaty",
        "xian",
    ]:
        concept = Concept.objects.get(slug=slug)
        preferred = set(
            concept.terms.filter(status="preferred").values_list("language", flat=True)
        )
        assert {"en", "kk", "zh-Hans", "ru"} <= preferred, slug
    assert Concept.objects.count() >= 30


def test_one_belt_one_road_is_a_deprecated_term_of_the_belt_and_road_initiative():
    term = Term.objects.get(
        language="en", search_key="one belt one road", text="One Belt, One Road"
    )
    assert term.concept.slug == "belt-and-road-initiative"
    assert term.status == "deprecated"
    assert term.usage_note


def test_approved_seed_concepts_have_sources_for_their_preferred_terms():
    missing = Term.objects.filter(
        concept__status="approved", status="preferred", source=""
    ).values_list("concept__slug", "language")
    assert list(missing) == []


def test_loading_gives_sqlite_statistics_for_its_planner(seed_dir):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum keeps its own statistics")
    seed.load_seed(seed_dir)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'glossary_term'")
        assert cursor.fetchone()[0] > 0
