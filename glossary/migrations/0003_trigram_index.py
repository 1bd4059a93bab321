"""On PostgreSQL, a pg_trgm GIN index on term search keys serves `contains` and fuzzy
prefilters; SQLite has no such index, so there this migration does nothing."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS term_key_trgm_idx "
    "ON glossary_term USING gin (search_key gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS term_key_trgm_idx"]


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("glossary", "0002_glossary_version")]

    operations = [
        migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP)),
    ]
