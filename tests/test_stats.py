import pytest
from django.core.management import call_command

from glossary import stats
from glossary.models import Concept

pytestmark = pytest.mark.django_db


def test_stats_count_concepts_by_kind_and_status():
    figures = stats.glossary_stats()
    assert figures.concepts == Concept.objects.count()
    assert sum(figures.by_kind.values()) == figures.concepts
    assert (
        figures.by_status["approved"]
        == Concept.objects.filter(status="approved").count()
    )


def test_coverage_of_the_four_languages_over_approved_concepts_is_complete():
    rows = {row["language"]: row for row in stats.glossary_stats().rows()}
    for tag in ("en", "kk", "zh-Hans", "ru"):
        assert rows[tag]["approved_percent"] == 100.0


def test_coverage_counts_a_new_concept_without_russian(make_concept):
    before = {r["language"]: r for r in stats.glossary_stats().rows()}
    make_concept(en="Test Only English", status="draft")
    after = {r["language"]: r for r in stats.glossary_stats().rows()}
    assert after["en"]["concepts"] == before["en"]["concepts"] + 1
    assert after["ru"]["concepts"] == before["ru"]["concepts"]
    assert after["ru"]["concepts_percent"] < 100.0


def test_the_stats_command_prints_a_coverage_table(capsys):
    call_command("glossary_stats")
    out = capsys.readouterr().out
    assert "zh-Hans" in out and "%" in out and "By kind:" in out
