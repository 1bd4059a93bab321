"""Print every glossary term found in a text file, with offsets and renderings."""

from django.core.management.base import BaseCommand, CommandError

from glossary import languages, matching, visibility
from glossary.errors import GlossaryError
from glossary.management.files import read_text


class Command(BaseCommand):
    help = (
        "Find the glossary's terms in a UTF-8 text file: offsets (code points), the "
        "concept, the term's status and the preferred terms in the target languages."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The text file, or - for standard input.")
        parser.add_argument("--lang", required=True, help="The text's language.")
        parser.add_argument(
            "--to",
            default=None,
            help="Comma-separated target languages (default: every other one).",
        )

    def handle(self, *args, file, lang, to=None, **options):
        text = read_text(file)
        try:
            targets = None if to is None else languages.resolve_list(to, field="to")
            # Run by the team on the server: internal concepts count too.
            hits = matching.find_terms(
                text, language=lang, targets=targets, visible=visibility.EVERYTHING
            )
        except GlossaryError as error:
            raise CommandError(str(error)) from error
        for hit in hits:
            self.stdout.write(describe(hit))
        concepts = {hit.term.concept_id for hit in hits}
        self.stdout.write(f"Found {len(hits)} terms of {len(concepts)} concepts.")


def describe(hit: matching.TermHit) -> str:
    """One hit on one line: offsets, text, concept, status, renderings."""
    term = hit.term
    status = term.status
    if hit.deprecated:
        instead = hit.use_instead.text if hit.use_instead else "no preferred term"
        status = f"{status.upper()}, use “{instead}”"
    renderings = " · ".join(f"{tag}: {t.text}" for tag, t in hit.translations.items())
    line = f"{hit.start:>7}–{hit.end:<7} “{hit.text}”  {term.concept.slug} ({status})"
    return f"{line}  {renderings}" if renderings else line
