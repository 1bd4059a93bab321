"""Check the glossary's data: quotes, completeness, Kazakh Latin, pinyin, sharing."""

from django.core.management.base import BaseCommand, CommandError

from glossary import audit
from glossary.errors import GlossaryError


class Command(BaseCommand):
    help = (
        "Check the seed files (or, with --database, the database): quotes verbatim, "
        "approved concepts complete in en/kk/zh-Hans/ru, kk-Latn and pinyin "
        "consistent, no preferred term shared. Exits non-zero on any finding."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database",
            action="store_true",
            help="Check the database instead of terms_seed/.",
        )
        parser.add_argument("--path", default=None, help="Seed folder to check.")

    def handle(self, *args, database=False, path=None, **options):
        try:
            records = (
                audit.records_from_database()
                if database
                else audit.records_from_seed(path)
            )
        except GlossaryError as error:
            raise CommandError(str(error)) from error
        findings = audit.check_glossary(records)
        for finding in findings:
            self.stderr.write(str(finding))
        if findings:
            raise CommandError(
                f"{len(findings)} finding(s) in {len(records)} concepts."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Checked {len(records)} concepts: clean.")
        )
