"""On PostgreSQL, pg_trgm GIN indexes on loose and pinyin keys serve the fuzzy
prefilter (`%` similarity) and `contains`; SQLite has none, so there this does nothing."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS term_loose_trgm_idx "
    "ON glossary_term USING gin (loose_key gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS term_pinyin_trgm_idx "
    "ON glossary_term USING gin (pinyin_key gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS term_loose_trgm_idx",
    "DROP INDEX IF EXISTS term_pinyin_trgm_idx",
]


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("glossary", "0005_fill_term_keys")]

    operations = [
        migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP)),
    ]
