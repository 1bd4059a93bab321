"""Terminology checks of a translation against the glossary.

Both texts go through recognition (`matching`), so inflected forms count: "в
Хоргосе" has Khorgos in it. A concept counts as rendered when the translation holds
any of its preferred or admitted terms, nested ones included ("ШОС" inside "саммит
ШОС"); a deprecated or superseded term is reported where it stands, with the preferred
one to use, whether or not the source has the concept.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import languages
from .matching import TermHit, check_text, find_terms, longest_leftmost
from .models import Concept, Term
from .visibility import PUBLIC, Visible


class FindingKind(models.TextChoices):
    # The source has the concept; the translation lacks its preferred term.
    MISSING = "missing", _("missing")
    # The translation uses a deprecated or superseded term.
    DEPRECATED = "deprecated", _("deprecated")


@dataclass(frozen=True)
class Finding:
    """One terminology issue of a translation, with where it stands in both texts."""

    kind: FindingKind
    term: (
        Term  # missing: the source term met; deprecated: the term the translation uses
    )
    expected: Term | None  # the preferred term of the target language
    source: list[TermHit]  # the concept's occurrences in the source text
    target: list[TermHit]  # the deprecated term's occurrences in the translation

    @property
    def concept(self) -> Concept:
        return self.term.concept

    @property
    def message(self) -> str:
        expected = f"“{self.expected.text}”" if self.expected else "no preferred term"
        if self.kind == FindingKind.MISSING:
            return (
                f"“{self.term.text}” is rendered {expected}, which the translation "
                "does not have."
            )
        return f"“{self.term.text}” is {self.term.status}; use {expected}."


def check_translation(
    source_text: str,
    target_text: str,
    *,
    source_language: str,
    target_language: str,
    visible: Visible = PUBLIC,
) -> list[Finding]:
    """The terminology issues of a translation, in the order they occur.

    A source concept whose preferred target term the translation lacks is `missing`;
    each deprecated or superseded term in the translation is `deprecated`, with the
    term to use instead. A concept already reported deprecated is not also missing.
    Only concepts `visible` shows are checked.
    """
    check_text(source_text, field="source_text")
    check_text(target_text, field="target_text")
    source = languages.resolve(source_language)
    target = languages.resolve(target_language)
    source_hits = find_terms(
        source_text, language=source, targets=[target], visible=visible
    )
    target_hits = find_terms(
        target_text, language=target, targets=[], nested=True, visible=visible
    )

    in_source = _by_concept(source_hits)
    rendered = {hit.term.concept_id for hit in target_hits if not hit.deprecated}
    misused = _by_concept(h for h in longest_leftmost(target_hits) if h.deprecated)
    findings = [
        Finding(
            kind=FindingKind.DEPRECATED,
            term=hits[0].term,
            expected=hits[0].use_instead,
            source=in_source.get(concept_id, []),
            target=hits,
        )
        for concept_id, hits in misused.items()
    ]
    for concept_id, hits in in_source.items():
        expected = hits[0].translations.get(target)
        if expected is None or concept_id in rendered or concept_id in misused:
            continue
        findings.append(
            Finding(
                kind=FindingKind.MISSING,
                term=hits[0].term,
                expected=expected,
                source=hits,
                target=[],
            )
        )
    return sorted(findings, key=_position)


def _by_concept(hits) -> dict[int, list[TermHit]]:
    grouped: dict[int, list[TermHit]] = {}
    for hit in hits:
        grouped.setdefault(hit.term.concept_id, []).append(hit)
    return grouped


def _position(finding: Finding) -> tuple[float, int]:
    # Source order first, as a reviewer reads; findings only in the translation after.
    source = finding.source[0].start if finding.source else float("inf")
    target = finding.target[0].start if finding.target else -1
    return source, target
