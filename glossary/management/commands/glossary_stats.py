"""Print concepts by kind and status, and per-language coverage."""

from django.core.management.base import BaseCommand

from glossary import stats


class Command(BaseCommand):
    help = "Show concepts by kind and status, and coverage of each language."

    def handle(self, *args, **options):
        figures = stats.glossary_stats()
        write = self.stdout.write
        write(f"Concepts: {figures.concepts} ({figures.approved} approved)")
        write(
            "By status: " + ", ".join(f"{k} {n}" for k, n in figures.by_status.items())
        )
        write("By kind:   " + ", ".join(f"{k} {n}" for k, n in figures.by_kind.items()))
        write("")
        write(f"{'language':<10} {'terms':>6} {'concepts':>14} {'approved':>14}")
        for row in figures.rows():
            write(
                f"{row['language']:<10} {row['terms']:>6} "
                f"{row['concepts']:>6} {row['concepts_percent']:>6.1f} % "
                f"{row['approved']:>6} {row['approved_percent']:>6.1f} %"
            )
