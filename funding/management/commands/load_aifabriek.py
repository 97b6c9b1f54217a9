from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from funding.dataset import DEFAULT_DATA_FILE, DataFileError, load_data_file


class Command(BaseCommand):
    help = (
        "Load the AI-fabriek Groningen data set (or another data file) in one transaction. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=DEFAULT_DATA_FILE, help="data file to load (JSON)"
        )

    def handle(self, *args, file: Path, **options):
        try:
            # The report names models in English, like the rest of the command's output.
            with translation.override("en"):
                report = load_data_file(file)
        except DataFileError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        if not report.changed:
            self.stdout.write(f"{file.name}: already up to date, nothing changed.")
            return
        for outcome, tally in (("created", report.created), ("updated", report.updated)):
            for name, count in sorted(tally.items()):
                self.stdout.write(f"{file.name}: {outcome} {count} {name}")
