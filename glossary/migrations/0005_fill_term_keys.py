"""Fill the loose, pinyin and match keys of the terms that existed before the keys."""

from django.db import migrations

from glossary import normalize

BATCH = 2000


def fill_keys(apps, schema_editor):
    # Pages by primary key, not one open cursor: SQLite gives no isolation between a
    # cursor and updates to the same table on one connection.
    Term = apps.get_model("glossary", "Term")
    last = 0
    while True:
        terms = list(
            Term.objects.filter(pk__gt=last)
            .only("pk", "text", "language")
            .order_by("pk")[:BATCH]
        )
        if not terms:
            return
        for term in terms:
            term.loose_key = normalize.loose_key(term.text)
            term.pinyin_key = normalize.pinyin_key(term.text)
            term.match_key = normalize.match_key(term.text, term.language)
        Term.objects.bulk_update(terms, ["loose_key", "pinyin_key", "match_key"])
        last = terms[-1].pk


class Migration(migrations.Migration):
    dependencies = [("glossary", "0004_term_loose_pinyin_match_keys")]

    operations = [
        # Going back, 0004 drops the keys; nothing to undo here.
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
