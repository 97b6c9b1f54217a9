from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from aifabriek.ops.safe_fetch import Fetcher
from funding.cache import bump_generation
from funding.models import Programme, QuoteState, SnapshotOutcome
from funding.source_archive import archive, fetch_policy
from funding.source_checks import record_check, sources_to_check


class Command(BaseCommand):
    help = (
        "Archive every source (fetched from its address, or the text shipped for a source "
        "without one) and check every quoted passage that cites it against that text. Writes "
        "snapshots and quote checks only: no source, figure or date is changed. Exits 0 when "
        "the check ran, whatever it found; the findings are in the admin and on the dashboard."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--programme",
            metavar="SLUG",
            help="only the sources this programme's records cite (every passage citing them is "
            "checked, whichever programme quotes it)",
        )

    def handle(self, *args, programme=None, **options):
        # The report names outcomes in English, like the rest of the command's output.
        with translation.override("en"):
            self.run_check(programme)

    def run_check(self, programme):
        chosen = None
        if programme is not None:
            chosen = Programme.objects.filter(slug=programme).first()
            if chosen is None:
                raise CommandError(f"No programme has the slug {programme!r}; nothing was checked.")
        fetcher = Fetcher(fetch_policy())
        outcomes, states, changed = Counter(), Counter(), 0
        sources = list(sources_to_check(chosen))
        try:
            for source in sources:
                recorded = record_check(source, archive(source, fetcher))
                snapshot = recorded.snapshot
                outcomes[snapshot.outcome] += 1
                states.update(recorded.states)
                changed += snapshot.changed
                self.stdout.write(line(source, snapshot, recorded.states))
        finally:
            if outcomes:
                # The public page's note (checked on <date>) follows the new checks.
                bump_generation()
        self.stdout.write(summary(len(sources), outcomes, states, changed))


def line(source, snapshot, states) -> str:
    """One line per source: its key, the outcome, and its passages' states."""
    found = states.get(QuoteState.FOUND, 0)
    missing = states.get(QuoteState.NOT_FOUND, 0)
    unavailable = states.get(QuoteState.SOURCE_UNAVAILABLE, 0)
    words = [f"{source.key}: {SnapshotOutcome(snapshot.outcome).label}"]
    if snapshot.detail:
        words.append(f"({snapshot.detail})")
    if snapshot.redirects:
        words.append(f"after {len(snapshot.redirects)} redirect(s) to {snapshot.final_url}")
    if snapshot.changed:
        words.append("- TEXT CHANGED since first archived")
    words.append(f"- passages: {found} found, {missing} not found, {unavailable} unavailable")
    return " ".join(words)


def summary(count: int, outcomes: Counter, states: Counter, changed: int) -> str:
    parts = ", ".join(
        f"{outcomes[outcome]} {SnapshotOutcome(outcome).label}"
        for outcome in SnapshotOutcome.values
        if outcomes[outcome]
    )
    return (
        f"Checked {count} source(s): {parts or 'none'}; {changed} changed since first archived. "
        f"Quoted passages: {states[QuoteState.FOUND]} found, "
        f"{states[QuoteState.NOT_FOUND]} not found, "
        f"{states[QuoteState.SOURCE_UNAVAILABLE]} with the source unavailable."
    )
