"""Check a translation's terminology against the glossary; exit 1 on any finding."""

from django.core.management.base import BaseCommand, CommandError

from glossary import qa, visibility
from glossary.errors import GlossaryError
from glossary.management.files import read_text


class Command(BaseCommand):
    help = (
        "Report the source terms whose preferred rendering the translation lacks and "
        "the deprecated or superseded terms it uses. Exits non-zero on any finding."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The source text file (UTF-8).")
        parser.add_argument("target", help="The translation file (UTF-8).")
        parser.add_argument("--source-lang", required=True)
        parser.add_argument("--target-lang", required=True)

    def handle(self, *args, source, target, source_lang, target_lang, **options):
        try:
            findings = qa.check_translation(
                read_text(source),
                read_text(target),
                source_language=source_lang,
                target_language=target_lang,
                # Run by the team on the server: internal concepts count too.
                visible=visibility.EVERYTHING,
            )
        except GlossaryError as error:
            raise CommandError(str(error)) from error
        for finding in findings:
            self.stdout.write(describe(finding))
        if findings:
            raise CommandError(f"{len(findings)} terminology finding(s).")
        self.stdout.write(self.style.SUCCESS("No terminology findings."))


def describe(finding: qa.Finding) -> str:
    """A finding in two lines: what and where, then the message."""
    where = [
        *(f"source {hit.start}–{hit.end}" for hit in finding.source[:3]),
        *(f"translation {hit.start}–{hit.end}" for hit in finding.target[:3]),
    ]
    return (
        f"{finding.kind.value.upper():<10} {finding.concept.slug} "
        f"({', '.join(where)})\n           {finding.message}"
    )
