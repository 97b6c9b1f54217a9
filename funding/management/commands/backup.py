import time
from pathlib import Path

from django.core.management.base import BaseCommand

from aifabriek.ops.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write everything (funding records and their history, users, groups, the admin's log) "
        "to FILE: gzip'd JSON lines with a checksum, described in docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the file to write, e.g. backup.jsonl.gz")

    def handle(self, *args, file: Path, **options):
        started = time.monotonic()
        summary = write_backup(file)
        rows = sum(summary.counts.values())
        self.stdout.write(
            f"{file}: {rows} rows of {len(summary.counts)} models, {summary.size} bytes, "
            f"in {time.monotonic() - started:.1f} s."
        )
