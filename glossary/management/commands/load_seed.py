"""Load terms_seed/ into the database: idempotent and all-or-nothing."""

from django.core.management.base import BaseCommand, CommandError

from glossary import seed
from glossary.errors import GlossaryError


class Command(BaseCommand):
    help = "Load the seed documents and concepts (idempotent, all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", default=None, help="Seed folder (default: terms_seed/)."
        )

    def handle(self, *args, path=None, **options):
        try:
            summary = seed.load_seed(path)
        except GlossaryError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(str(summary)))
