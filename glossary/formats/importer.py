"""Imports: a TBX, CSV or TSV file read into entries and handed to the write service.

The whole file is read first; `glossary.editing` checks every entry, reports what each
would change (created, updated with each change, unchanged, conflicts, warnings) and,
unless it is a dry run or an entry conflicts, writes them all in one transaction.

How an entry changes the glossary:

- It is matched by slug (the TBX entry id, a table's `id` column). An entry without
  one is matched by the search key of its first preferred term (KHORGOS and Khorgos.
  find Khorgos), or else creates a
  concept with a slug made from that term (draft, of the kind the import is given when
  the file names none).
- A TBX entry replaces the terms and the definition of each language it holds and leaves
  the other languages alone (a CAT tool often sends back only its language pair). Its
  kind, status, domain and note replace the concept's when it gives them, and its
  relations replace the concept's relations to concepts in the file.
- A table row makes each of its cells the preferred term of its language; the former
  preferred term stays, admitted.
- A context links its term to a quote when its source names a document (by citation,
  title or slug) and its excerpt is that document's verbatim text: an existing quote, or
  a new one at the excerpt's only occurrence. Any other context cannot become a quote,
  which is by definition a verbatim excerpt of a source document held here: it is
  reported as a warning, and the term keeps the quotes it had.
"""

from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from .. import editing
from ..errors import (
    ConceptRejected,
    ImportRejected,
    InvalidQuery,
    UnsupportedFile,
    UploadTooLarge,
)
from ..models import Concept, RevisionOrigin
from .tabular import read_table
from .tbx import read_tbx

FILE_TYPES = {".tbx": "tbx", ".xml": "tbx", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv"}
DEFAULT_KIND = editing.DEFAULT_KIND


def file_format(filename: str) -> str:
    """The reader a file name calls for: tbx, csv or tsv."""
    suffix = Path(filename).suffix.lower()
    if suffix in FILE_TYPES:
        return FILE_TYPES[suffix]
    hint = (
        " A TMX file holds translation units, not concepts; import the TBX export."
        if suffix == ".tmx"
        else ""
    )
    raise UnsupportedFile(
        f"Cannot import {Path(filename).name!r}: send TBX (.tbx or .xml, v3 or v2), "
        f"CSV (.csv) or TSV (.tsv).{hint}",
        field="file",
    )


def check_upload_size(size: int) -> None:
    """Refuse an upload larger than GLOSSARY_MAX_UPLOAD_BYTES."""
    limit = settings.GLOSSARY_MAX_UPLOAD_BYTES
    if size > limit:
        raise UploadTooLarge(
            f"The upload is {size:,} bytes; imports take at most {limit:,} bytes. "
            "Split the file, or import it with manage.py import_glossary.",
            field="file",
        )


def import_file(
    source: BinaryIO,
    *,
    filename: str,
    dry_run: bool = False,
    kind: str = DEFAULT_KIND,
    user=None,
    progress=None,
) -> editing.Report:
    """Import a TBX (v3 or v2), CSV or TSV file, all or nothing, or report a dry run.

    Raises UnsupportedFile, UnsafeXml or UnknownLanguage when the file cannot be read,
    and ImportRejected, carrying the report, when entries conflict. `kind` is given to
    new concepts whose entry names none; `user` is who imports, for the history;
    `progress` wraps the list of concepts written.
    """
    file_type = file_format(filename)
    if kind not in Concept.Kind.values:
        raise InvalidQuery(
            f"Unknown kind {kind!r}; use one of {', '.join(Concept.Kind.values)}.",
            field="kind",
        )
    if file_type == "tbx":
        entries = list(read_tbx(source))
    else:
        entries = list(read_table(source, dialect=file_type))
    name = Path(filename).name
    report = editing.Report(name, file_type, dry_run)
    origin = editing.Origin(RevisionOrigin.Via.IMPORT, user, name)
    try:
        return editing.apply_entries(
            entries,
            origin=origin,
            dry_run=dry_run,
            default_kind=kind,
            progress=progress,
            report=report,
        )
    except ConceptRejected as error:
        raise ImportRejected(str(error), report=error.report) from None
