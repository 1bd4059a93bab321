"""The statistics page's chart of coverage per language, drawn on the server as SVG."""

from django import template

from ..stats import GlossaryStats
from .ui_language import language_name

register = template.Library()

# In SVG user units: each language takes a line for its name and a bar beneath it;
# the percentage follows the bar, so a full bar leaves room for "100.0 %".
WIDTH = 480
BAR_SPACE = 400
BAR_HEIGHT = 14
ROW_HEIGHT = 42
NAME_BASELINE = 14
BAR_TOP = 20


@register.inclusion_tag("admin/glossary/concept/coverage_chart.html")
def coverage_chart(stats: GlossaryStats) -> dict[str, object]:
    """Concepts with a preferred term in each language, as a share of all concepts."""
    bars = []
    for index, row in enumerate(stats.rows()):
        top = index * ROW_HEIGHT
        length = round(BAR_SPACE * row["concepts_percent"] / 100, 1)
        bars.append(
            {
                "tag": row["language"],
                "name": language_name(row["language"]),
                "concepts": row["concepts"],
                "percent": row["concepts_percent"],
                "name_y": top + NAME_BASELINE,
                "bar_y": top + BAR_TOP,
                "length": length,
                "figure_x": length + 6,
                "figure_y": top + BAR_TOP + BAR_HEIGHT - 2,
            }
        )
    return {
        "bars": bars,
        "total": stats.concepts,
        "width": WIDTH,
        "height": len(bars) * ROW_HEIGHT,
        "bar_space": BAR_SPACE,
        "bar_height": BAR_HEIGHT,
    }
