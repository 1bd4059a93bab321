"""Term recognition in running text: every glossary term a text contains, with offsets.

One Aho–Corasick automaton (pyahocorasick) holds the match key of every term in every
language. It is built on first use from the database, kept per process, and rebuilt
when the glossary version changes: one cheap query per call tells every process about
an edit made in any other, and no call loops over the terms.

The automaton holds every term, internal ones too; what a reader may not see is
dropped from the occurrences before the longest ones are chosen, so the answer is the
one an automaton of the visible terms alone would give: an internal term overlapping a
public one never hides it.

A text is cut into words, each word keyed as terms are (`normalize.word_key`), and the
keys are joined by spaces with a space at either end. A pattern is a term's match key
between spaces, so it can only match whole words: "reach" is not found in "breach".
Chinese characters are words of their own, so Chinese needs no spaces. Kazakh patterns
are open at the end, and what follows in the last word must be an inflectional ending
(`normalize.kazakh_ending`). Offsets come from the words, so they are code points into
the text as given and `text[start:end]` is the match.
"""

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

import ahocorasick
from django.conf import settings
from django.db.models import Q

from . import languages, normalize
from .errors import InvalidQuery, TextTooLarge
from .models import Concept, Term, glossary_stamp
from .visibility import PUBLIC, Visible

_CHUNK = 10_000  # rows per fetch while building: memory stays flat at any size


@dataclass(frozen=True)
class Occurrence:
    """Where one term stands in a text, by ids: what the automaton finds."""

    start: int
    end: int
    term_id: int
    concept_id: int
    language: str


@dataclass(frozen=True)
class TermHit:
    """One glossary term found in a text, with what a translator needs from it."""

    start: int
    end: int
    text: str
    term: Term
    translations: dict[str, Term]  # the concept's preferred term per target language
    use_instead: Term | None  # for a deprecated or superseded term: the preferred one

    @property
    def deprecated(self) -> bool:
        return self.term.is_deprecated


Spanned = TypeVar("Spanned", Occurrence, TermHit)


class CacheInfo(NamedTuple):
    version: int | None  # the glossary version the automaton was built from
    builds: int  # how many times this process has built it


class _Automaton:
    """The automaton of one glossary version; the value of a pattern says what it is.

    A value is (pattern length, word count, open end, entries), an entry (term id,
    concept id, language, voiced): `voiced` marks a Kazakh stem whose last consonant is
    voiced before a vowel ending (әріптестіг-і for әріптестік).
    """

    def __init__(self, stamp: tuple) -> None:
        self.stamp = stamp
        self.automaton = ahocorasick.Automaton()
        self._hidden: dict[Visible, frozenset[int]] = {}
        tags = {tag: tag for tag in languages.TAGS}  # one string per tag, not per row
        # No ordering: Term's default one would join and sort every concept.
        rows = Term.objects.order_by().values_list(
            "pk", "concept_id", "language", "match_key"
        )
        for term_id, concept_id, language, key in rows.iterator(chunk_size=_CHUNK):
            if key:
                self._add(key, (term_id, concept_id, tags.get(language, language)))
        if len(self.automaton):
            self.automaton.make_automaton()

    def _add(self, key: str, term: tuple[int, int, str]) -> None:
        words = key.count(" ") + 1
        if normalize.inflects_at_end(term[2]):
            head, _, last = key.rpartition(" ")
            prefix = f" {head} " if head else " "
            patterns = [
                (prefix + stem, voiced) for stem, voiced in normalize.kazakh_stems(last)
            ]
        else:
            patterns = [(f" {key} ", False)]
        for pattern, voiced in patterns:
            open_end = not pattern.endswith(" ")
            *_, entries = self.automaton.get(pattern, (0, 0, False, ()))
            value = (len(pattern), words, open_end, (*entries, (*term, voiced)))
            self.automaton.add_word(pattern, value)

    def hidden(self, visible: Visible) -> frozenset[int]:
        """The concepts a reader may not see, read once per reader and version."""
        hidden = self._hidden.get(visible)
        if hidden is None:
            shown = visible.concepts().values("pk")
            hidden = frozenset(
                Concept.objects.exclude(pk__in=shown).values_list("pk", flat=True)
            )
            self._hidden[visible] = hidden
        return hidden

    def occurrences(
        self, text: str, language: str, *, visible: Visible
    ) -> list[Occurrence]:
        """Every occurrence of a term of the text's language the reader may see,
        nested ones included."""
        if not len(self.automaton):
            return []
        hidden = self.hidden(visible)
        comparable = normalize.comparable_languages(language)
        spans, keys = [], []
        for start, end, word in normalize.words(text):
            key = normalize.word_key(word, language)
            if key:
                spans.append((start, end))
                keys.append(key)
        offsets, position = [], 1
        for key in keys:
            offsets.append(position)
            position += len(key) + 1
        word_at = {offset: index for index, offset in enumerate(offsets)}
        haystack = " " + " ".join(keys) + " "
        found = []
        for end, (length, count, open_end, entries) in self.automaton.iter(haystack):
            first = word_at[end - length + 2]  # a pattern starts with a space
            last = first + count - 1
            stem = ending = ""
            if open_end:
                cut = end + 1 - offsets[last]
                stem, ending = keys[last][:cut], keys[last][cut:]
            for term_id, concept_id, term_language, voiced in entries:
                if term_language not in comparable or concept_id in hidden:
                    continue
                if (ending or voiced) and not normalize.kazakh_ending(
                    stem, ending, voiced=voiced
                ):
                    continue
                start, stop = spans[first][0], spans[last][1]
                found.append(
                    Occurrence(start, stop, term_id, concept_id, term_language)
                )
        return found


_lock = threading.Lock()
_current: _Automaton | None = None
_builds = 0


def _automaton() -> _Automaton:
    global _current, _builds
    stamp = glossary_stamp()
    current = _current
    if current is not None and current.stamp == stamp:
        return current
    with _lock:
        if _current is None or _current.stamp != stamp:
            _current = _Automaton(stamp)
            _builds += 1
        return _current


def cache_info() -> CacheInfo:
    """The glossary version of this process's automaton, and how often it was built."""
    current = _current
    return CacheInfo(current.stamp[0] if current else None, _builds)


def check_text(text: str, *, field: str) -> None:
    """Raise when a submitted text is empty or larger than GLOSSARY_MAX_TEXT_BYTES."""
    if not text or not text.strip():
        raise InvalidQuery("Give a text with at least one word in it.", field=field)
    limit = settings.GLOSSARY_MAX_TEXT_BYTES
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise TextTooLarge(
            f"The text is {size:,} bytes; the limit is {limit:,} bytes (UTF-8). Split "
            "it and send the parts one by one.",
            field=field,
        )


def longest_leftmost(hits: Iterable[Spanned]) -> list[Spanned]:
    """Of overlapping hits, the leftmost and then longest; hits at one span all stay.

    Works on anything with `start` and `end`, so on occurrences and on term hits.
    """
    chosen, reach, span = [], 0, None
    for hit in sorted(hits, key=lambda hit: (hit.start, -hit.end)):
        if (hit.start, hit.end) == span:
            chosen.append(hit)
        elif hit.start >= reach:
            chosen.append(hit)
            reach, span = hit.end, (hit.start, hit.end)
    return chosen


def spans(
    text: str, *, language: str, nested: bool = False, visible: Visible = PUBLIC
) -> list[Occurrence]:
    """Where the glossary's terms `visible` shows stand in a text, by term and
    concept ids.

    Longest leftmost without overlaps; with `nested`, every occurrence, also inside
    others ("Khorgos" inside "Khorgos – Eastern Gate").
    """
    found = _automaton().occurrences(text, languages.resolve(language), visible=visible)
    limit = settings.GLOSSARY_MAX_HITS
    if len(found) > limit:
        # Each hit becomes a record in the answer: a text dense with terms would
        # otherwise tie up a worker and send back hundreds of megabytes.
        raise TextTooLarge(
            f"The text holds more than {limit:,} glossary terms; split it and send "
            "the parts one by one.",
            field="text",
        )
    return found if nested else longest_leftmost(found)


def target_languages(source: str, targets: Sequence[str] | None) -> list[str]:
    """The target languages resolved, or every language but the source when None."""
    if targets is None:
        return [tag for tag in languages.TAGS if tag != source]
    return [languages.resolve(tag) for tag in targets]


def find_terms(
    text: str,
    *,
    language: str,
    targets: Sequence[str] | None = None,
    nested: bool = False,
    visible: Visible = PUBLIC,
) -> list[TermHit]:
    """Every glossary term in a text, with its concept's preferred target terms.

    Only terms of concepts `visible` shows are found. `targets` are the languages to
    give renderings in (default: every other one).
    Deprecated and superseded terms come with the preferred term of their language.
    Two queries whatever the text and the glossary's size, and one more to rebuild
    the automaton after the glossary changed.
    """
    check_text(text, field="text")
    source = languages.resolve(language)
    targets = target_languages(source, targets)
    found = spans(text, language=source, nested=nested, visible=visible)
    if not found:
        return []
    wanted = {*targets, *(occurrence.language for occurrence in found)}
    concept_ids = {occurrence.concept_id for occurrence in found}
    terms = (
        visible.terms()
        .filter(
            Q(pk__in={occurrence.term_id for occurrence in found})
            | Q(
                concept_id__in=concept_ids,
                status=Term.Status.PREFERRED,
                language__in=wanted,
            )
        )
        .select_related("concept")
        .order_by()
    )
    by_id, preferred = {}, {}
    for term in terms:
        by_id[term.pk] = term
        if term.status == Term.Status.PREFERRED:
            preferred[term.concept_id, term.language] = term
    best: dict[tuple[int, int, int], TermHit] = {}
    for occurrence in found:
        term = by_id.get(occurrence.term_id)
        if term is None:  # deleted, or hidden, since the version was read
            continue
        start, end = _widen(text, occurrence.start, occurrence.end, term.text)
        hit = TermHit(
            start=start,
            end=end,
            text=text[start:end],
            term=term,
            translations={
                tag: preferred[term.concept_id, tag]
                for tag in targets
                if (term.concept_id, tag) in preferred
            },
            use_instead=preferred.get((term.concept_id, term.language))
            if term.is_deprecated
            else None,
        )
        # Variants of one concept can share a key (One Belt, One Road and One Belt –
        # One Road): the one written as in the text stands for the concept there.
        span = (occurrence.start, occurrence.end, term.concept_id)
        if span not in best or _fit(hit) < _fit(best[span]):
            best[span] = hit
    return sorted(best.values(), key=lambda hit: (hit.start, -hit.end))


def _widen(text: str, start: int, end: int, term: str) -> tuple[int, int]:
    """The span grown over the quotes around a term, where the text has them too.

    Matching goes by words, so «Пояс и путь» is found as Пояс и путь; the span then
    takes the guillemets back, as the term is written.
    """
    term_words = list(normalize.words(term))
    if not term_words:
        return start, end
    lead, trail = term[: term_words[0][0]], term[term_words[-1][1] :]
    if lead and normalize.fold(
        text[max(0, start - len(lead)) : start]
    ) == normalize.fold(lead):
        start -= len(lead)
    if trail and normalize.fold(text[end : end + len(trail)]) == normalize.fold(trail):
        end += len(trail)
    return start, end


def _fit(hit: TermHit) -> tuple:
    term = hit.term
    as_written = normalize.fold(term.text) == normalize.fold(hit.text)
    preferred = term.status == Term.Status.PREFERRED
    return (not as_written, term.is_deprecated, not preferred, term.pk)
