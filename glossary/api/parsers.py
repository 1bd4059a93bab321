"""The API's JSON parser: nesting bounded, and errors naming the field they are in.

Python's json module recurses once per level of nesting, so a body nested 100,000
levels deep is a RecursionError (a 500) before any field is validated. The body's
brackets are counted first, outside strings and at C speed, and refused past MAX_DEPTH;
so are bodies of millions of values, numbers Python would refuse to convert (over
4,300 digits) and JSON's non-standard NaN and Infinity.
"""

import itertools
import json
import re
from collections import deque

from django.conf import settings
from rest_framework import exceptions, parsers

# The API's requests are objects of strings and lists of strings: 2 levels, a few
# values. The bounds leave room and keep a hostile body's cost to C-speed scans.
MAX_DEPTH = 20
MAX_VALUES = 100_000
MAX_DIGITS = 1000

# A complete JSON string, escapes included (the "unrolled loop" form: linear, fast).
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_BAD_NUMBER = rf"\d{{{MAX_DIGITS + 1},}}|NaN|Infinity"
_STRINGS = re.compile(_STRING, re.DOTALL)
_BAD_NUMBERS = re.compile(_BAD_NUMBER)
_TOKENS = re.compile(rf"{_STRING}|[\[\]{{}}]|{_BAD_NUMBER}", re.DOTALL)
# Everything in ASCII but brackets, for str.translate to delete.
_ALL_BUT_BRACKETS = {code: None for code in range(128) if chr(code) not in "[]{}"}


class BodyError(exceptions.ParseError):
    """A request body the API cannot read, with the top-level field it concerns."""

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        super().__init__(message, code=code)
        self.field = field


def _field_name(token: str | None) -> str | None:
    try:
        name = json.loads(token) if token and len(token) <= 102 else None
        return name.encode("utf-8").decode() if isinstance(name, str) else None
    except (ValueError, UnicodeError):  # a lone surrogate cannot be answered
        return None


def _walk(text: str, *, until: int | None = None):
    """Each string, bracket or bad number with its depth and the top-level key (as
    JSON text) it is under, when the body is an object."""
    depth, key = 0, None
    in_object = text.lstrip().startswith("{")
    for match in _TOKENS.finditer(text, 0, len(text) if until is None else until):
        token = match[0]
        if token[0] == '"' and depth == 1 and in_object:
            # A key, or a string value that the next key follows.
            key = token
        elif token in "[{":
            depth += 1
        elif token in "]}":
            depth -= 1
        yield token, depth, key


def _problem(text: str) -> BodyError | None:
    """The first bound the body breaks, naming the top-level field it is in."""
    outside_strings = _STRINGS.sub('""', text)
    brackets = outside_strings.translate(_ALL_BUT_BRACKETS)
    # Each pass removes the innermost pairs: a body within the bound empties in time.
    for _ in range(MAX_DEPTH):
        brackets = brackets.replace("[]", "").replace("{}", "")
    if brackets or _BAD_NUMBERS.search(outside_strings):
        # Rare: find where, token by token, as far as MAX_VALUES tokens.
        for token, depth, key in itertools.islice(_walk(text), MAX_VALUES):
            if token in "[{" and depth > MAX_DEPTH:
                return BodyError(
                    f"The JSON is nested more than {MAX_DEPTH} levels deep.",
                    code="too_deep",
                    field=_field_name(key),
                )
            if token[0] not in '"[]{}':
                shown = token if len(token) <= 20 else f"{token[:20]}…"
                return BodyError(
                    f"The JSON holds {shown}; give numbers of at most {MAX_DIGITS} "
                    "digits, and no NaN or Infinity.",
                    code="parse_error",
                    field=_field_name(key),
                )
    # Every value but the first of a list or object follows a comma.
    if outside_strings.count(",") >= MAX_VALUES:
        return BodyError(
            f"The JSON holds more than {MAX_VALUES:,} values.", code="too_large"
        )
    return None


def _field_at(text: str, position: int) -> str | None:
    last = deque(_walk(text, until=position), maxlen=1)
    return _field_name(last[0][2]) if last else None


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError:
            raise BodyError(
                f"The body is not {encoding} text.", code="parse_error"
            ) from None
        problem = _problem(text)
        if problem is not None:
            raise problem
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise BodyError(
                f"The body is not JSON: {error.msg} (line {error.lineno}, "
                f"column {error.colno}).",
                code="parse_error",
                field=_field_at(text, error.pos),
            ) from None
