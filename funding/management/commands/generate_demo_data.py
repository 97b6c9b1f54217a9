import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from funding.demo.data import DemoDataError, generate_demo_data
from funding.formatting import format_money


class Command(BaseCommand):
    help = (
        "Generate a demo portfolio for load and scale tests: N programmes sharing M "
        "contributions unevenly, plus one programme with K contributions. Names say 'Demo', keys "
        "start with 'demo-'; the same seed gives the same data. Refuses when demo data exists "
        "unless --replace, which removes only demo records."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programmes", type=int, default=10, help="demo programmes (N)")
        parser.add_argument(
            "--contributions", type=int, default=100, help="contributions they share (M)"
        )
        parser.add_argument(
            "--big", type=int, default=1000, help="contributions of the big programme (K, 0: none)"
        )
        parser.add_argument("--seed", type=int, default=1, help="same seed, same data")
        parser.add_argument(
            "--replace", action="store_true", help="remove existing demo data first"
        )

    def handle(self, *args, programmes, contributions, big, seed, replace, **options):
        started = time.perf_counter()
        try:
            report = generate_demo_data(
                programmes=programmes,
                contributions=contributions,
                big=big,
                seed=seed,
                replace=replace,
            )
        except DemoDataError as error:
            raise CommandError(f"Nothing was generated. {error}") from error
        seconds = time.perf_counter() - started
        # The report names models in English, like the rest of the command's output.
        with translation.override("en"):
            for model, count in report.created.items():
                self.stdout.write(f"created {count} {model._meta.verbose_name_plural}")
            self.stdout.write(
                f"committed {format_money(report.committed)}, pending "
                f"{format_money(report.pending)}, disbursed {format_money(report.disbursed)}"
            )
        if report.big_slug:
            self.stdout.write(f"big programme: /programmes/{report.big_slug}/")
        self.stdout.write(f"generated in {seconds:.1f} s (seed {seed})")
