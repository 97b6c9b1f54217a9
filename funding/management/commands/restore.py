import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aifabriek.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a file written by `backup` into this database, in one transaction. Refuses a "
        "database that holds data unless --replace is given, and a file that is truncated or "
        "altered; it changes nothing when it refuses."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a file written by `manage.py backup`")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete everything the database holds (records, history, users) first",
        )

    def handle(self, *args, file: Path, replace: bool, **options):
        started = time.monotonic()
        try:
            counts = restore_backup(file, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{file}: restored {sum(counts.values())} rows of {len(counts)} models "
            f"in {time.monotonic() - started:.1f} s."
        )
