"""Reading the text files that commands are given."""

import sys
from pathlib import Path

from django.core.management.base import CommandError


def read_text(path: str) -> str:
    """A UTF-8 file's text as stored, line ends too, so offsets hold; "-" is stdin."""
    if path == "-":
        return sys.stdin.read()
    try:
        with Path(path).open(encoding="utf-8", newline="") as file:
            return file.read()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"Cannot read {path}: {error}") from error
