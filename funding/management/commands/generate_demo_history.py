import time

from django.core.management.base import BaseCommand, CommandError

from funding.demo.history import HISTORY_SLUG, HistoryExists, generate_history_programme


class Command(BaseCommand):
    help = (
        "Generate the demo programme 'Demo geschiedenis', whose contributions have N history "
        "rows recorded over 2024 and 2025: for the pages as they stood (?on=) at scale. The "
        "same seed gives the same history. Refuses when the programme exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=30_000, help="history rows (N)")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same history")

    def handle(self, *args, rows, seed, **options):
        if rows < 1:
            raise CommandError("--rows must be at least 1.")
        started = time.perf_counter()
        try:
            generate_history_programme(rows=rows, seed=seed)
        except HistoryExists as error:
            raise CommandError(f"Nothing was generated: {error}.") from error
        seconds = time.perf_counter() - started
        self.stdout.write(f"programme with history: /programmes/{HISTORY_SLUG}/")
        self.stdout.write(f"generated in {seconds:.1f} s (seed {seed})")
