"""Export the glossary, or the concepts the filters select, as TBX, TMX, CSV or TSV."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from glossary import exporter, visibility
from glossary.errors import GlossaryError


def _list(value: str | None) -> list[str] | None:
    return (
        [item.strip() for item in value.split(",") if item.strip()] if value else None
    )


class Command(BaseCommand):
    help = "Write the glossary as TBX (v3, or v2 for older tools), TMX, CSV or TSV."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=list(exporter.FORMATS))
        parser.add_argument(
            "--output",
            help="The file to write (default: the dated file name, e.g. "
            "glossary-2025-01-31.tbx, in the current folder); - for stdout.",
        )
        parser.add_argument("--concept", help="Only these slugs, comma-separated.")
        parser.add_argument("--lang", help="Only concepts with a term in it.")
        parser.add_argument("--kind", help="Only concepts of this kind.")
        parser.add_argument("--domain", help="Only concepts of this subject field.")
        parser.add_argument("--status", help="Only draft or approved concepts.")
        parser.add_argument("--q", help="Only concepts with a term containing this.")
        parser.add_argument(
            "--missing", help="Only concepts without a preferred term in this language."
        )
        parser.add_argument(
            "--include", help="tmx: admitted (admitted terms too); csv, tsv: id."
        )
        parser.add_argument("--srclang", help="tmx: the source language (en).")
        parser.add_argument("--source", help="csv, tsv: a pair's source language.")
        parser.add_argument("--target", help="csv, tsv: a pair's target language.")

    def handle(self, *args, **options):
        try:
            export = exporter.export_glossary(
                options["format"],
                exporter.select_concepts(
                    slugs=_list(options["concept"]),
                    language=options["lang"],
                    kind=options["kind"],
                    domain=options["domain"],
                    status=options["status"],
                    query=options["q"],
                    missing=options["missing"],
                    # Run by the team on the server: internal concepts count too.
                    visible=visibility.EVERYTHING,
                ),
                include=_list(options["include"]),
                srclang=options["srclang"],
                source=options["source"],
                target=options["target"],
            )
        except GlossaryError as error:
            raise CommandError(str(error)) from error
        output = options["output"] or export.filename
        if output == "-":
            for chunk in export.chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
        else:
            with Path(output).open("wb") as file:
                file.writelines(export.chunks)
        # The summary goes to stderr when the file itself goes to stdout.
        summary = self.stderr if output == "-" else self.stdout
        summary.write(f"Exported {export.concepts.count()} concepts to {output}")
