"""What if a pending request is granted, or refused: the total and the gap to the target.

For each pending (requested) contribution, and for all of them together, the committed total
the programme would have if the request were granted and if it were refused, with the gap to
the target (or the surplus over it) in each case. Every figure is summed and subtracted in the
database, in one query that also fetches the largest pending contributions and, for the
forecast, the decision dates their sources expect.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Prefetch, Value, Window
from django.db.models.functions import Greatest
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from funding.formatting import format_money_in_words
from funding.languages import Text, page_language
from funding.models import Contribution, ContributionStatus, DecisionEstimate, Programme
from funding.models.contributions import COUNTED_AS_COMMITTED
from funding.models.money import ZERO
from funding.models.programmes import MONEY_OUTPUT, _summed

# The pending contributions shown one by one, largest first; all of them count in the totals.
SCENARIOS_SHOWN = 10
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Outcome:
    """Where the programme would stand: its committed total, and how far that is from target."""

    total: Decimal
    gap: Decimal  # short of the target; 0 when it is reached
    surplus: Decimal  # over the target; 0 when it is not reached
    target: Decimal

    def reads(self, currency: str) -> str:
        """The outcome as the end of a sentence that starts with a condition."""
        amounts = {
            "total": format_money_in_words(self.total, currency),
            "gap": format_money_in_words(self.gap, currency),
            "surplus": format_money_in_words(self.surplus, currency),
        }
        # Translators: these follow a condition ("If the request … is refused, …"); in Dutch
        # the verb comes first: "komt de investering op € 130 miljoen: …".
        if not self.target:
            return _("the investment comes to %(total)s.") % amounts
        if self.gap:
            return _("the investment comes to %(total)s: %(gap)s short of the target.") % amounts
        if self.surplus:
            return _("the investment comes to %(total)s: %(surplus)s more than the target.") % (
                amounts
            )
        return _("the investment comes to %(total)s, which reaches the target.") % amounts


@dataclass(frozen=True)
class PendingScenario:
    """One pending contribution: what granting or refusing it would make of the total."""

    key: str
    funder: str
    funder_id: int
    instrument: str
    amount: Decimal
    is_public: bool
    granted: Outcome
    refused: Outcome
    estimates: list = field(default_factory=list)  # DecisionEstimate, earliest first
    funder_en: str = ""

    @property
    def label(self) -> str:
        return f"{self.funder} ({self.instrument})" if self.instrument else self.funder


@dataclass(frozen=True)
class Scenarios:
    """A programme's scenarios: each of the largest pending contributions, and all together."""

    currency: str
    target: Decimal
    committed: Decimal
    pending: list[PendingScenario]
    pending_count: int
    all_pending: PendingScenario | None  # None when nothing is pending

    @property
    def pending_not_shown(self) -> int:
        return self.pending_count - len(self.pending)

    @property
    def sentences(self) -> list[str]:
        """The plain sentences for the public page: granted, then refused."""
        if self.all_pending is None:
            return []
        currency = self.currency
        together = self.all_pending
        amount = format_money_in_words(together.amount, currency)
        if self.pending_count == 1:
            only = self.pending[0]
            # The funder's name in the page's language, or the Dutch one marked as Dutch.
            funder = Text(only.funder_en, "en") if only.funder_en else Text(only.funder, "nl")
            names = {"funder": funder.marked, "amount": escape(amount)}
            message = _("If the request to %(funder)s for %(amount)s is granted,")
            if page_language() != "en":
                names["funder"] = escape(only.funder)
            granted = mark_safe(escape(message) % names)
            refused = _("If it is refused,")
        else:
            names = {"count": self.pending_count, "amount": amount}
            granted = _("If all %(count)s pending requests (%(amount)s together) are granted,") % (
                names
            )
            refused = _("If they are all refused,")
        return [
            format_html("{} {}", granted, together.granted.reads(currency)),
            format_html("{} {}", refused, together.refused.reads(currency)),
        ]


def _cents(amount) -> Decimal:
    # SQLite hands back sums without their two decimals; every database gives two here.
    return Decimal(amount).quantize(CENT)


def _outcome(row, prefix: str) -> Outcome:
    return Outcome(
        total=_cents(getattr(row, f"{prefix}_total")),
        gap=_cents(getattr(row, f"{prefix}_gap")),
        surplus=_cents(getattr(row, f"{prefix}_surplus")),
        target=row.programme_target,
    )


def pending_rows(mine, *, committed, pending, target, limit: int, decision_dates: bool = False):
    """The largest pending contributions of `mine`, each with every scenario figure of the
    programme.

    `committed`, `pending` and `target`: the programme's committed and pending totals and its
    target, as expressions (subqueries summing in the database, or sums already made there).
    The live rows and the history rows of a past day (funding/figures/past/) are both read here.
    """
    target_column = F("programme_target")

    def gap(total):
        return Greatest(target_column - total, Value(ZERO), output_field=MONEY_OUTPUT)

    def surplus(total):
        return Greatest(total - target_column, Value(ZERO), output_field=MONEY_OUTPUT)

    rows = (
        mine.filter(status=ContributionStatus.REQUESTED)
        .annotate(
            programme_target=target,
            committed_total=committed,
            pending_total=pending,
            pending_count=Window(Count("pk")),
        )
        .annotate(
            granted_total=F("committed_total") + F("amount"),
            all_granted_total=F("committed_total") + F("pending_total"),
            refused_total=F("committed_total"),
        )
        .annotate(
            granted_gap=gap(F("granted_total")),
            granted_surplus=surplus(F("granted_total")),
            all_granted_gap=gap(F("all_granted_total")),
            all_granted_surplus=surplus(F("all_granted_total")),
            refused_gap=gap(F("refused_total")),
            refused_surplus=surplus(F("refused_total")),
        )
        .select_related("funder")
        .order_by("-amount", "key")
    )
    if decision_dates:
        estimates = DecisionEstimate.objects.select_related("source")
        rows = rows.prefetch_related(Prefetch("decision_estimates", estimates))
    return list(rows[:limit])


def programme_scenarios(
    programme: Programme,
    *,
    public_only: bool,
    decision_dates: bool = True,
    limit: int = SCENARIOS_SHOWN,
) -> Scenarios:
    """The programme's scenarios; with `public_only`, only public contributions count.

    `programme` carries its totals (`Programme.objects.with_totals()`, with the same
    `public_only`): its committed total is the one the figures start from when nothing is
    pending. Without `decision_dates` the expected decisions are not fetched (one query less).
    """
    counted = Contribution.objects.filter(programme=OuterRef("programme"))
    mine = programme.contributions.all()
    if public_only:
        counted = counted.filter(is_public=True)
        mine = mine.filter(is_public=True)
    rows = pending_rows(
        mine,
        committed=_summed(
            counted.filter(status__in=COUNTED_AS_COMMITTED), group_by="programme", field="amount"
        ),
        pending=_summed(
            counted.filter(status=ContributionStatus.REQUESTED),
            group_by="programme",
            field="amount",
        ),
        target=F("programme__target"),
        limit=limit,
        decision_dates=decision_dates,
    )
    return scenarios_of(
        programme,
        rows,
        estimates=lambda row: list(row.decision_estimates.all()) if decision_dates else [],
    )


def scenarios_of(programme, rows, *, estimates) -> Scenarios:
    """The scenarios from `pending_rows`; `programme` gives the currency, the target and the
    committed total; `estimates(row)` the expected decisions of a row."""
    pending = [
        PendingScenario(
            key=row.key,
            funder=row.funder.name,
            funder_en=row.funder.name_en,
            funder_id=row.funder_id,
            instrument=row.instrument,
            amount=row.amount,
            is_public=row.is_public,
            granted=_outcome(row, "granted"),
            refused=_outcome(row, "refused"),
            estimates=estimates(row),
        )
        for row in rows
    ]
    all_pending = None
    if rows:
        first = rows[0]
        all_pending = PendingScenario(
            key="",
            funder="",
            funder_id=0,
            instrument="",
            amount=_cents(first.pending_total),
            is_public=True,
            granted=_outcome(first, "all_granted"),
            refused=_outcome(first, "refused"),
        )
    return Scenarios(
        currency=programme.currency,
        target=programme.target,
        committed=_cents(rows[0].committed_total if rows else programme.committed),
        pending=pending,
        pending_count=rows[0].pending_count if rows else 0,
        all_pending=all_pending,
    )


@dataclass(frozen=True)
class Forecast:
    """The pending contributions placed at the decision dates their sources expect.

    Each dated one stands at the total the programme would reach if it alone is granted; those
    no source gives a date for are listed apart, never given a date of our own.
    """

    currency: str
    target: Decimal
    committed: Decimal
    dated: list[PendingScenario]
    undated: list[PendingScenario]
    pending_not_shown: int

    @classmethod
    def of(cls, scenarios: Scenarios) -> "Forecast":
        dated = [scenario for scenario in scenarios.pending if scenario.estimates]
        dated.sort(key=lambda scenario: (scenario.estimates[0].earliest, scenario.key))
        return cls(
            currency=scenarios.currency,
            target=scenarios.target,
            committed=scenarios.committed,
            dated=dated,
            undated=[scenario for scenario in scenarios.pending if not scenario.estimates],
            pending_not_shown=scenarios.pending_not_shown,
        )

    @property
    def undated_names(self) -> str:
        """ "Europese Unie (Europese cofinancieringsaanvraag)", several joined by semicolons."""
        return "; ".join(scenario.label for scenario in self.undated)
