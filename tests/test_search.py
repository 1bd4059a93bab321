import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glossary import search
from glossary.models import Concept, Term

pytestmark = pytest.mark.django_db


def test_a_term_gets_its_loose_pinyin_and_match_keys_on_save(make_concept):
    concept = make_concept(
        kk=[("Тест Қорғас", "preferred")],
        zh_hant=[("霍爾果斯口岸", "preferred")],
        ru=[("Тестовая организация", "preferred")],
    )
    keys = {
        term.language: (term.loose_key, term.pinyin_key, term.match_key)
        for term in concept.terms.all()
    }
    assert keys == {
        "kk": ("test korgas", "", "test korgas"),
        "zh-Hant": ("霍尔果斯口岸", "huoerguosikouan", "霍 尔 果 斯 口 岸"),
        "ru": ("testovaia organizatsiia", "", "тест организац"),
    }


def test_editing_a_term_rederives_its_keys(make_concept):
    term = make_concept(en="Test Khorgos").terms.get()
    term.text = "Test Nūrly Zhol"
    term.save()
    term.refresh_from_db()
    assert (term.loose_key, term.match_key) == ("test nurly jol", "test nurly jol")


def test_a_query_in_one_script_finds_the_kazakh_term_in_the_other():
    found = search.search_terms("Қорғас", language="kk-Latn")
    assert [term.text for term in found] == ["Qorğas"]


def test_fuzzy_scores_come_best_first_and_above_the_cutoff():
    found = list(search.search_terms("Shanghai Cooperaton Organisaton", match="fuzzy"))
    assert found[0].text == "Shanghai Cooperation Organisation"
    scores = [term.score for term in found]
    assert scores == sorted(scores, reverse=True)
    assert min(scores) >= search.FUZZY_CUTOFF


def test_the_fuzzy_prefilter_picks_candidates_in_the_database(make_concept):
    for n in range(30):
        make_concept(en=f"Test Zhetysu Gate {n}")
    with CaptureQueriesContext(connection) as queries:
        found = list(search.search_terms("Test Zhetysu Gaet", match="fuzzy"))
    assert len(found) == 30
    prefilter = queries.captured_queries[0]["sql"]
    # The database narrows and limits the candidates; Python only scores them.
    assert f"LIMIT {search.FUZZY_CANDIDATES}" in prefilter
    assert (
        ("%%" in prefilter or "%" in prefilter)
        if connection.vendor == ("postgresql")
        else "LIKE" in prefilter
    )


def test_fuzzy_candidates_never_exceed_the_limit(make_concept, monkeypatch):
    for n in range(12):
        make_concept(en=f"Test Zhetysu Gate {n}")
    monkeypatch.setattr(search, "FUZZY_CANDIDATES", 5)
    assert len(search.search_terms("Test Zhetysu Gate", match="fuzzy")) == 5


def test_postgresql_has_trigram_indexes_on_loose_and_pinyin_keys():
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm exists only on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE indexname IN ('term_loose_trgm_idx', 'term_pinyin_trgm_idx')"
        )
        indexes = dict(cursor.fetchall())
    assert set(indexes) == {"term_loose_trgm_idx", "term_pinyin_trgm_idx"}
    assert all("gin_trgm_ops" in definition for definition in indexes.values())


def test_bulk_inserts_get_their_keys_from_fill_keys(make_concept):
    concept = make_concept(en="Test Concept")
    term = Term(concept=concept, language="zh-Hans", text="霍尔果斯口岸")
    term.fill_keys()
    (term,) = Term.objects.bulk_create([term])
    stored = Term.objects.get(concept=concept, language="zh-Hans")
    assert (stored.pinyin_key, stored.match_key) == (
        "huoerguosikouan",
        "霍 尔 果 斯 口 岸",
    )


def test_the_concept_filter_finds_a_term_in_another_script():
    concepts = search.concepts_with_term_matching(Concept.objects.all(), "Qorgas")
    assert list(concepts.values_list("slug", flat=True)) == [
        "khorgos",
        "khorgos-eastern-gate",
    ]
