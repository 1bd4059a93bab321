"""CSV and TSV term tables: language tags as header, preferred terms as rows.

This is the shape machine-translation services take as custom terminology (one column
per language, or two for one language pair). An optional first column `id` holds the
concept's slug, for imports that should match concepts by it.
"""

import codecs
import csv
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from .. import languages
from ..entries import ConceptEntry, Problem, TermEntry
from ..errors import UnknownLanguage, UnsupportedFile

DIALECTS = {"csv": csv.excel, "tsv": csv.excel_tab}
ID_COLUMN = "id"
_ROWS_PER_CHUNK = 500
_BLOCK_BYTES = 64 * 1024


class _Line:
    """A file-like sink that hands back what the csv writer writes."""

    def write(self, value: str) -> str:
        return value


def write_table(
    entries: Iterable[ConceptEntry],
    *,
    columns: list[str],
    dialect: str,
    ids: bool = False,
    pairs: bool = False,
) -> Iterator[bytes]:
    """UTF-8 rows: each entry's preferred terms in these languages.

    An entry without a preferred term in any column is left out; with `pairs`, one
    without a preferred term in every column is.
    """
    writer = csv.writer(_Line(), dialect=DIALECTS[dialect])
    lines = [writer.writerow([ID_COLUMN, *columns] if ids else columns)]
    for entry in entries:
        preferred = entry.preferred()
        cells = [preferred.get(language, "") for language in columns]
        if not any(cells) or (pairs and not all(cells)):
            continue
        lines.append(writer.writerow([entry.slug, *cells] if ids else cells))
        if len(lines) >= _ROWS_PER_CHUNK:
            yield "".join(lines).encode()
            lines = []
    yield "".join(lines).encode()


def read_table(source: BinaryIO, *, dialect: str) -> Iterator[ConceptEntry]:
    """A partial entry per row: its preferred terms, and its slug if there is an id."""
    reader = csv.reader(_lines(source), dialect=DIALECTS[dialect])
    try:
        header = next(reader, None)
        if header is None:
            raise UnsupportedFile("The file is empty.", field="file")
        names = [cell.strip() for cell in header]
        id_column = names.index(ID_COLUMN) if ID_COLUMN in names else None
        columns = _languages(
            [(i, name) for i, name in enumerate(names) if i != id_column]
        )
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            slug = row[id_column].strip() if id_column is not None else ""
            entry = ConceptEntry(slug=slug or None, partial=True, line=line)
            entry.terms = [
                TermEntry(language, row[i].strip(), line=line)
                for i, language in columns
                if i < len(row) and row[i].strip()
            ]
            if len(row) > len(names):
                entry.problems.append(
                    Problem(line, f"{len(row)} cells but {len(names)} columns.")
                )
            yield entry
    except UnicodeDecodeError:
        raise UnsupportedFile(
            f"The file is not UTF-8 text (line {reader.line_num + 1}); save it as "
            "UTF-8 CSV or TSV.",
            field="file",
        ) from None
    except csv.Error as error:
        raise UnsupportedFile(
            f"The file is not a readable table (line {reader.line_num}: {error}).",
            field="file",
        ) from None


def _lines(source: BinaryIO) -> Iterator[str]:
    """The file's lines as text, ends kept, read in blocks through `source.read`."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pending = ""
    while block := source.read(_BLOCK_BYTES):
        if b"\0" in block:
            raise UnsupportedFile(
                "The file holds NUL bytes: it is no text table.", field="file"
            )
        # Only \n ends a line: a quoted cell may hold \r, U+2028 and the like.
        *lines, pending = (pending + decoder.decode(block)).split("\n")
        yield from (line + "\n" for line in lines)
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def _languages(columns: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """(index, tag) of the language columns, naming every unknown tag at once."""
    if any(not name for _, name in columns):
        raise UnsupportedFile(
            "Every column of the first row must name a language (en, ru, zh-Hans…).",
            field="file",
        )
    try:
        languages.resolve_list(",".join(name for _, name in columns), field="file")
    except UnknownLanguage as error:
        raise UnknownLanguage(
            f"{error} The first row must name the language of each column.",
            field="file",
        ) from None
    resolved = [(i, languages.resolve(name)) for i, name in columns]
    tags = [tag for _, tag in resolved]
    repeated = sorted({tag for tag in tags if tags.count(tag) > 1})
    if repeated:
        raise UnsupportedFile(
            f"Two columns hold the same language: {', '.join(repeated)}.",
            field="file",
        )
    return resolved
