"""The rules of a valid concept, each stated once; every face's input meets them here.

An entry's problems name the part of the entry and the field at fault, so the admin
shows each on its field, and an import or the seed loader on its line or entry. The
database holds the same invariants as constraints, as a last guard.
"""

from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils.translation import gettext as _

from .. import languages, normalize
from ..entries import ConceptEntry, Problem
from ..errors import UnknownLanguage
from ..models import Concept, ConceptRelation, Definition, Term


def _limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _too_long(model, name: str, value: str | None) -> str | None:
    limit = _limit(model, name)
    if value and len(value) > limit:
        return _("%(field)s is longer than %(limit)d characters") % {
            "field": model._meta.get_field(name).verbose_name,
            "limit": limit,
        }
    return None


def _not_a_choice(name: str, value, choices) -> str | None:
    if value not in choices.values:
        return _("%(name)s %(value)r is not one of %(choices)s") % {
            "name": name,
            "value": value,
            "choices": ", ".join(choices.values),
        }
    return None


def canonical_languages(entries: list[ConceptEntry]) -> None:
    """Give every term and definition its canonical tag; name every unknown tag at once.

    Raises UnknownLanguage listing each unknown tag with the line it was first met on.
    """
    first_line: dict[str, int | None] = {}
    for entry in entries:
        for item in (*entry.terms, *entry.definitions):
            first_line.setdefault(item.language, item.line)
    unknown = {}
    for tag, line in first_line.items():
        try:
            languages.resolve(tag)
        except UnknownLanguage:
            unknown[tag] = line
    if unknown:
        lines = ", ".join(
            f"{tag!r} at line {line}" if line else repr(tag)
            for tag, line in unknown.items()
        )
        try:
            # Commas would split a tag in two; no language tag holds one.
            languages.resolve_list(
                ",".join(tag.replace(",", " ") for tag in unknown), field="language"
            )
        except UnknownLanguage as error:
            raise UnknownLanguage(
                f"{error} First met: {lines}.", field="language"
            ) from None
    for entry in entries:
        for item in (*entry.terms, *entry.definitions):
            item.language = languages.resolve(item.language)


def concept_problems(entry: ConceptEntry) -> list[Problem]:
    """What stops an entry from being written; its languages must be canonical."""
    found: list[Problem] = list(entry.problems)

    def problem(message, *, line=entry.line, field=None, item=None, code="invalid"):
        found.append(Problem(line, message, field, item, code))

    if entry.slug is not None:
        try:
            validate_slug(entry.slug)
        except ValidationError:
            problem(
                _("id %(slug)r is no slug (letters, digits, - and _)")
                % {"slug": entry.slug},
                field="slug",
            )
        if message := _too_long(Concept, "slug", entry.slug):
            problem(message, field="slug")
    for name, choices in (
        ("kind", Concept.Kind),
        ("status", Concept.Status),
        ("visibility", Concept.Visibility),
    ):
        value = getattr(entry, name)
        if value is not None and (message := _not_a_choice(name, value, choices)):
            problem(message, field=name)
    if message := _too_long(Concept, "domain", entry.domain):
        problem(message, field="domain")
    if not entry.terms:
        problem(_("A concept needs at least one term."), field="terms", code="no_terms")
    seen = set()
    preferred = defaultdict(list)
    for index, term in enumerate(entry.terms):
        at = {"line": term.line, "item": ("terms", index)}
        if not normalize.search_key(term.text):
            problem(
                _("term %(text)r has no letter or digit") % {"text": term.text},
                field="text",
                **at,
            )
        for name in ("text", "romanization", "source"):
            if message := _too_long(Term, name, getattr(term, name)):
                problem(f"{term.text[:40]!r}: {message}", field=name, **at)
        for name, choices in (
            ("status", Term.Status),
            ("term_type", Term.TermType),
            ("part_of_speech", Term.PartOfSpeech),
        ):
            value = getattr(term, name)
            if (value or name != "part_of_speech") and (
                message := _not_a_choice(name, value, choices)
            ):
                problem(message, field=name, **at)
        key = (term.language, term.text)
        if key in seen:
            problem(
                _("term %(text)r [%(language)s] twice")
                % {"text": term.text, "language": term.language},
                field="text",
                code="duplicate",
                **at,
            )
        seen.add(key)
        if term.status == Term.Status.PREFERRED:
            preferred[term.language].append((index, term))
    for language, terms in preferred.items():
        if len(terms) > 1:
            index, second = terms[1]
            problem(
                _(
                    "more than one preferred term in %(language)s (%(texts)s); mark "
                    "all but one admitted"
                )
                % {
                    "language": language,
                    "texts": ", ".join(repr(term.text) for _, term in terms),
                },
                line=second.line,
                field="status",
                item=("terms", index),
                code="second_preferred",
            )
    defined = Counter(definition.language for definition in entry.definitions)
    for index, definition in enumerate(entry.definitions):
        at = {"line": definition.line, "item": ("definitions", index)}
        if defined[definition.language] > 1:
            problem(
                _("two definitions in %(language)s")
                % {"language": definition.language},
                field="language",
                **at,
            )
            defined[definition.language] = 0
        if message := _too_long(Definition, "source", definition.source):
            problem(message, field="source", **at)
    for index, relation in enumerate(entry.relations):
        at = {"line": relation.line, "item": ("relations", index)}
        if message := _not_a_choice("relation", relation.kind, ConceptRelation.Kind):
            problem(message, field="kind", **at)
        if entry.slug and relation.target == entry.slug:
            problem(_("a relation to the concept itself"), field="target", **at)
    return found


def excerpt_error(document_text: str, excerpt: str, start, end) -> str | None:
    """Why a quote's offsets do not hold its excerpt, or None when they do."""
    if not excerpt:
        return _("A quote needs an excerpt.")
    if start is None or end is None:
        return _("A quote needs both offsets, start and end.")
    if not 0 <= start < end:
        return _("A quote needs 0 <= start < end.")
    if document_text[start:end] != excerpt:
        return _(
            "The excerpt is not the document's text at %(start)d–%(end)d; copy it "
            "exactly from the document (curly quotes, dashes and spacing included)."
        ) % {"start": start, "end": end}
    return None


def locate_excerpt(document_text: str, excerpt: str) -> tuple[int, int]:
    """The offsets of an excerpt that occurs exactly once; ValueError otherwise."""
    start = document_text.find(excerpt) if excerpt else -1
    if start < 0:
        raise ValueError(
            _("The excerpt is not in the document; copy it exactly from the document.")
        )
    if document_text.find(excerpt, start + 1) >= 0:
        raise ValueError(
            _(
                "The excerpt occurs more than once in the document; lengthen it until "
                "it is unique."
            )
        )
    return start, start + len(excerpt)
