"""Indexes for the admin's big lists; on PostgreSQL also trigram indexes for its search.

The trigram indexes cover `UPPER(column)`, the expression Django's `icontains` compares on
PostgreSQL, so a search for "loket" reads the index instead of every row. They need the pg_trgm
extension: `TrigramExtension` creates it when missing (a role needs the CREATE privilege on the
database for that; see docs/decisions.md) and does nothing on SQLite, like the index step here.
They are left out of the model state because SQLite cannot build them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

SEARCHED_COLUMNS = ["key", "instrument", "notes"]


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX contribution_{column}_trgm ON funding_contribution "
            f"USING gin (UPPER({column}) gin_trgm_ops)"
        )


def remove_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS contribution_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0004_more_versions"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="contribution",
            index=models.Index(fields=["instrument"], name="contribution_instrument"),
        ),
        migrations.AddIndex(
            model_name="programme",
            index=models.Index(fields=["name"], name="programme_name"),
        ),
        TrigramExtension(),
        migrations.RunPython(add_trigram_indexes, remove_trigram_indexes),
    ]
