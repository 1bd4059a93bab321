"""Coverage figures: concepts by kind and status, and terms per language."""

from collections import Counter
from dataclasses import dataclass

from django.db import models
from django.db.models import Count

from . import languages
from .models import Concept, Term


@dataclass
class LanguageCoverage:
    language: str
    concepts: int  # concepts with a preferred term in the language
    approved: int  # approved concepts with a preferred term in the language
    terms: int  # terms of any status in the language

    def percent_of(self, total: int, part: int) -> float:
        return round(100 * part / total, 1) if total else 0.0


@dataclass
class GlossaryStats:
    concepts: int
    approved: int
    by_kind: dict[str, int]
    by_status: dict[str, int]
    coverage: list[LanguageCoverage]

    def rows(self) -> list[dict]:
        """Per-language coverage with percentages, for tables."""
        return [
            {
                "language": c.language,
                "name": languages.display_name(c.language),
                "terms": c.terms,
                "concepts": c.concepts,
                "concepts_percent": c.percent_of(self.concepts, c.concepts),
                "approved": c.approved,
                "approved_percent": c.percent_of(self.approved, c.approved),
            }
            for c in self.coverage
        ]

    def statuses(self) -> list[tuple[str, int]]:
        """Concepts per status, every status named by its label, in declared order."""
        return _labelled(Concept.Status, self.by_status)

    def kinds(self) -> list[tuple[str, int]]:
        """Concepts per kind, every kind named by its label, in declared order."""
        return _labelled(Concept.Kind, self.by_kind)


def _labelled(
    choices: type[models.TextChoices], counts: dict[str, int]
) -> list[tuple[str, int]]:
    # Labels stay lazy, so a page shows them in its UI language; a value the choices
    # don't know still counts, under its stored value.
    named = [(choice.label, counts.get(choice.value, 0)) for choice in choices]
    unknown = [(value, n) for value, n in counts.items() if value not in choices]
    return named + unknown


def glossary_stats() -> GlossaryStats:
    """Count concepts by kind and status, and per-language coverage, in four queries."""
    by_kind = dict(
        Concept.objects.values_list("kind").annotate(n=Count("pk")).order_by("kind")
    )
    by_status = dict(
        Concept.objects.values_list("status").annotate(n=Count("pk")).order_by("status")
    )
    preferred = Counter(
        {
            (language, status): n
            for language, status, n in Term.objects.filter(status=Term.Status.PREFERRED)
            .values_list("language", "concept__status")
            .annotate(n=Count("pk"))
            .order_by()
        }
    )
    terms = dict(
        Term.objects.values_list("language").annotate(n=Count("pk")).order_by()
    )
    coverage = [
        LanguageCoverage(
            language=tag,
            concepts=sum(n for (lang, _), n in preferred.items() if lang == tag),
            approved=preferred[(tag, Concept.Status.APPROVED)],
            terms=terms.get(tag, 0),
        )
        for tag in languages.TAGS
    ]
    return GlossaryStats(
        concepts=sum(by_status.values()),
        approved=by_status.get(Concept.Status.APPROVED, 0),
        by_kind=by_kind,
        by_status=by_status,
        coverage=coverage,
    )
