"""Import a TBX (v3 or v2), CSV or TSV file into the glossary, all or nothing."""

from functools import partial
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from glossary.errors import GlossaryError
from glossary.formats import importer

# Smaller files are read and written before a progress bar would be worth showing.
PROGRESS_FROM_BYTES = 1024 * 1024


class Command(BaseCommand):
    help = (
        "Import a TBX, CSV or TSV file: all or nothing; --dry-run reports what would "
        "be created, updated and left unchanged, and what conflicts."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .tbx or .xml (TBX v3 or v2), .csv or .tsv")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report only; write nothing."
        )
        parser.add_argument(
            "--kind",
            default=importer.DEFAULT_KIND,
            help="The kind of new concepts whose entry names none "
            f"(default {importer.DEFAULT_KIND}).",
        )

    def handle(self, *args, file, dry_run=False, kind=importer.DEFAULT_KIND, **options):
        path = Path(file)
        try:
            quiet = path.stat().st_size < PROGRESS_FROM_BYTES
            with (
                path.open("rb") as raw,
                tqdm.wrapattr(
                    raw,
                    "read",
                    total=path.stat().st_size,
                    desc="reading",
                    disable=quiet,
                ) as source,
            ):
                report = importer.import_file(
                    source,
                    filename=path.name,
                    dry_run=dry_run,
                    kind=kind,
                    progress=partial(
                        tqdm, desc="writing", unit=" concepts", disable=quiet
                    ),
                )
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        except GlossaryError as error:
            raise CommandError(str(error)) from error
        for item in report.items:
            if item.outcome in ("conflict", "warning"):
                self.stderr.write(f"{item.outcome}: {item}")
        style = self.style.WARNING if report.conflicts else self.style.SUCCESS
        self.stdout.write(style(str(report)))
