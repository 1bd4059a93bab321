import pytest
from django.core.management import call_command
from django.utils import translation

from glossary import stats
from glossary.models import Concept
from glossary.templatetags import coverage_chart

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


def test_statuses_and_kinds_are_named_in_the_ui_language_in_declared_order():
    figures = stats.glossary_stats()
    with translation.override("ru"):
        statuses = [(str(label), count) for label, count in figures.statuses()]
        kinds = [str(label) for label, _ in figures.kinds()]
    assert statuses == [
        ("черновик", figures.by_status.get("draft", 0)),
        ("на рассмотрении", figures.by_status.get("in_review", 0)),
        ("утверждено", figures.by_status.get("approved", 0)),
        ("выведено из употребления", figures.by_status.get("retired", 0)),
    ]
    assert kinds[0] == "географический объект" and len(kinds) == len(Concept.Kind)


def test_the_coverage_chart_draws_each_language_as_long_as_its_share(make_concept):
    make_concept(en="Test Only English", status="draft")
    rows = {row["language"]: row for row in stats.glossary_stats().rows()}
    chart = coverage_chart.coverage_chart(stats.glossary_stats())
    bars = {bar["tag"]: bar for bar in chart["bars"]}
    full = coverage_chart.BAR_SPACE
    assert bars["en"]["length"] == full
    assert bars["ru"]["length"] == round(full * rows["ru"]["concepts_percent"] / 100, 1)
    assert 0 < bars["ru"]["length"] < full and bars["zh-Hant"]["length"] == 0
    assert chart["height"] == len(bars) * coverage_chart.ROW_HEIGHT
