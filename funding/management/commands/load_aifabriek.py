from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from funding.dataset import DEFAULT_DATA_FILE, DataFileError, LoadReport, load_data_file


class Command(BaseCommand):
    help = (
        "Load the AI-fabriek Groningen data set (or another data file) in one transaction, when "
        "its programme is absent. Once the programme is in, the database holds the truth: "
        "running it again changes nothing, and a programme deleted here is not loaded again."
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
        for name, count in sorted(report.created.items()):
            self.stdout.write(f"{file.name}: created {count} {name}")
        left_alone = left_alone_sentence(report)
        if not report.changed:
            self.stdout.write(f"{file.name}: nothing changed. {left_alone}".rstrip())
        elif left_alone:
            self.stdout.write(f"{file.name}: {left_alone}")


def left_alone_sentence(report: LoadReport) -> str:
    """Which programmes of the file the load left alone, and why, in one line."""
    sentences = []
    if report.kept:
        one = len(report.kept) == 1
        sentences.append(
            f"{named(report.kept)} {'is' if one else 'are'} already in the database, which now "
            "holds the truth; the data file only seeds an absent programme."
        )
    if report.gone:
        one = len(report.gone) == 1
        sentences.append(
            f"{named(report.gone)} {'was' if one else 'were'} in this database before (deleted, "
            f"or given another slug) and {'is' if one else 'are'} not loaded again."
        )
    return " ".join(sentences)


def named(slugs: list[str]) -> str:
    return f"Programme {slugs[0]}" if len(slugs) == 1 else f"Programmes {', '.join(slugs)}"
