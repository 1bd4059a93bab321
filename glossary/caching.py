"""Answers cached per glossary version, so an edit anywhere invalidates them everywhere.

The key of every entry carries the glossary's version stamp from the database; a
process reads the stamp (one small query) and never serves an answer computed from an
older glossary. The cache is Django's (CACHES): per process by default, shared when a
deployment configures a shared backend.

An answer depends on what its reader may see, so the key carries that too: an answer
computed for a team member is never served to anyone else.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from .models import glossary_stamp
from .visibility import Visible

T = TypeVar("T")


def per_glossary_version(
    name: str, parts: tuple, compute: Callable[[], T], *, visible: Visible
) -> T:
    """compute(), or its answer for these parts, for readers who see what `visible`
    shows, under the current glossary version."""
    timeout = settings.GLOSSARY_ANSWER_CACHE_SECONDS
    if not timeout:
        return compute()
    number, changed = glossary_stamp()
    stamp = (number, str(changed), visible, parts)
    digest = hashlib.sha256(repr(stamp).encode()).hexdigest()
    key = f"glossary:{name}:{digest}"
    answer = cache.get(key)
    if answer is None:
        answer = compute()
        cache.set(key, answer, timeout)
    return answer
