"""The registry of history kinds: every table that records the funding records' history,
registered once. The change log (funding/changes/), its Atom feed, "as of"
(funding/figures/as_of.py) and `last_changed` all read it.

Each kind names its model, where its rows hang in a programme and whose public flag gates them
(from which funding.history.kinds derives the publication rules), its anchor in the change log,
and its wording there, in the active language. A history table Django knows of is either here
or in NOT_PUBLIC (tests/test_history_registry.py checks it).
"""

from django.utils.translation import gettext as _

from funding.fuzzydate import FuzzyDate
from funding.history.kinds import (
    SOURCE,
    Citation,
    HistoryKind,
    Shown,
    label,
    long_date,
    title_of,
    with_text,
)
from funding.languages import in_language, original
from funding.models import (
    Contribution,
    ContributionShare,
    ContributionSource,
    DateEstimate,
    DecisionEstimate,
    Milestone,
    Organisation,
    PartnerRole,
    Payment,
    Programme,
    Source,
    StatusEvent,
)


def _funder_label(row) -> str:
    return f"{row.funder} ({row.instrument})" if row.instrument else str(row.funder)


class StatusKind(HistoryKind):
    """A contribution's status events: written once, never changed, so they are their own
    history. The change log builds their entries itself (funding.changes.entries): a
    contribution's first one is its "first published" entry."""

    @property
    def rows(self):
        return StatusEvent.objects

    @property
    def is_event(self) -> bool:
        return True

    def subject(self, row) -> str:
        # `row` is the contribution (as it was at the event).
        return _("Contribution from %(funder)s") % {"funder": _funder_label(row)}


class ProgrammeKind(HistoryKind):
    def subject(self, row) -> str:
        return with_text(_("Programme “%(name)s”"), name=in_language(row, "name"))

    def shown_fields(self, row, shown: Shown) -> list[tuple]:
        return [
            (label(Programme, "name"), original(row, "name").marked),
            (label(Programme, "target"), shown.money(row.target)),
            (label(Programme, "currency"), row.currency),
            (label(Programme, "location"), row.location or None),
            (label(Programme, "target_source"), title_of(row.target_source), SOURCE),
        ]

    def citation(self, row) -> Citation | None:
        return Citation.of(row.target_source, row.target_quote)


class ContributionKind(HistoryKind):
    def subject(self, row) -> str:
        return _("Contribution from %(funder)s") % {"funder": _funder_label(row)}

    def shown_fields(self, row, shown: Shown) -> list[tuple]:
        return [
            (label(Contribution, "funder"), str(row.funder)),
            (label(Contribution, "instrument"), row.instrument or None),
            (label(Contribution, "amount"), shown.money(row.amount)),
        ]

    def cited_contribution(self, row) -> int | None:
        return row.id


class ShareKind(HistoryKind):
    def subject(self, row) -> str:
        return _("Share of %(organisation)s in the contribution from %(funder)s") % {
            "organisation": row.organisation,
            "funder": row.contribution.funder_label,
        }

    def shown_fields(self, row, shown: Shown) -> list[tuple]:
        return [
            (label(ContributionShare, "organisation"), str(row.organisation)),
            (
                label(ContributionShare, "amount"),
                shown.money(row.amount, empty=_("not published")),
            ),
        ]

    def cited_contribution(self, row) -> int | None:
        return row.contribution_id


class PaymentKind(HistoryKind):
    def subject(self, row) -> str:
        return _("Payment on the contribution from %(funder)s") % {
            "funder": row.contribution.funder_label
        }

    def shown_fields(self, row, shown: Shown) -> list[tuple]:
        return [
            (label(Payment, "amount"), shown.money(row.amount)),
            (label(Payment, "paid_on"), long_date(row.paid_on)),
        ]

    def effective(self, row):
        return row.paid_on


class MilestoneKind(HistoryKind):
    def subject(self, row) -> str:
        return with_text(_("Milestone “%(title)s”"), title=in_language(row, "title"))

    def shown_fields(self, row, shown: Shown) -> list[tuple]:
        return [
            (label(Milestone, "title"), original(row, "title").marked),
            (label(Milestone, "status"), row.get_status_display()),
            (label(Milestone, "reached_on"), long_date(row.reached_on)),
        ]

    def effective(self, row):
        return row.reached_on


class EstimateKind(HistoryKind):
    def subject(self, row) -> str:
        milestone = in_language(row.milestone, "title")
        return with_text(_("Expected date of “%(milestone)s”"), milestone=milestone)

    def shown_fields(self, row, shown: Shown) -> list[tuple]:
        fuzzy = FuzzyDate(row.precision, row.year, row.period, row.day)
        return [
            (_("Expected"), fuzzy.label()),
            (label(DateEstimate, "source"), title_of(row.source), SOURCE),
        ]


class PartnerKind(HistoryKind):
    def subject(self, row) -> str:
        return _("Partner %(organisation)s") % {"organisation": row.organisation}

    def shown_fields(self, row, shown: Shown) -> list[tuple]:
        return [
            (label(PartnerRole, "organisation"), str(row.organisation)),
            (label(PartnerRole, "role"), row.get_role_display()),
        ]


STATUS = "status"
ON_CONTRIBUTION = "contribution__programme_id"

# The change log's kinds first, in the order docs/decisions.md lists them. The fields each log
# follows are those the public page and the open data show; statuses of contributions come from
# their status events, with the date and source of each decision.
KINDS: dict[str, HistoryKind] = {
    kind.name: kind
    for kind in [
        StatusKind(
            STATUS,
            StatusEvent,
            programme=ON_CONTRIBUTION,
            gate="contribution",
            anchor="status-event",
            related=("contribution__funder", "source"),
            moment="recorded_at",
            key="pk",
        ),
        ProgrammeKind(
            "programme",
            Programme,
            programme="id",
            gate="programme",
            fields=("name", "target", "currency", "location", "target_source_id"),
            anchor="programme-change",
            related=("target_source",),
        ),
        ContributionKind(
            "contribution",
            Contribution,
            programme="programme_id",
            gate="contribution",
            fields=("funder_id", "instrument", "amount"),
            anchor="contribution-change",
            related=("funder",),
            published_by_status=True,
        ),
        ShareKind(
            "share",
            ContributionShare,
            programme=ON_CONTRIBUTION,
            gate="contribution",
            fields=("organisation_id", "amount"),
            anchor="share-change",
            related=("organisation", "contribution__funder"),
        ),
        PaymentKind(
            "payment",
            Payment,
            programme=ON_CONTRIBUTION,
            gate="contribution",
            fields=("amount", "paid_on"),
            anchor="payment-change",
            related=("source", "contribution__funder"),
        ),
        MilestoneKind(
            "milestone",
            Milestone,
            programme="programme_id",
            gate="milestone",
            fields=("title", "status", "reached_on"),
            anchor="milestone-change",
            related=("source",),
        ),
        EstimateKind(
            "estimate",
            DateEstimate,
            programme="milestone__programme_id",
            gate="milestone",
            fields=("precision", "year", "period", "day", "source_id"),
            anchor="estimate-change",
            related=("source", "milestone"),
        ),
        PartnerKind(
            "partner",
            PartnerRole,
            programme="programme_id",
            gate="partner",
            fields=("organisation_id", "role"),
            anchor="partner-change",
            related=("organisation", "source"),
        ),
        # A contribution's sources: shown with it on the page (and as they stood on a past
        # day), not listed in the change log, whose entries cite a contribution's sources as
        # they are now.
        HistoryKind(
            "citation",
            ContributionSource,
            programme=ON_CONTRIBUTION,
            gate="contribution",
        ),
        # Recorded, so they move `last_changed` (every cached page and document is made
        # again), but neither listed in the change log nor counted in a programme's "as of":
        # decision estimates are the staff's scenarios' dates; organisations and sources are
        # shared by every programme.
        HistoryKind("decision estimate", DecisionEstimate),
        HistoryKind("organisation", Organisation),
        HistoryKind("source", Source),
    ]
}

# History tables that are no kind of the registry, with why: none so far. A table added to a
# model (HistoricalRecords) must be registered above or named here.
NOT_PUBLIC: dict[type, str] = {}

# The change log's kinds, and the records whose public flag gates them.
LOGGED = [kind for kind in KINDS.values() if kind.anchor]
GATES = {kind.gate: KINDS[kind.gate] for kind in KINDS.values() if kind.gate}
# The kinds a programme's "as of" counts.
AS_OF = [kind for kind in KINDS.values() if kind.programme]
# The models with a django-simple-history table.
HISTORY_MODELS = [kind.model for kind in KINDS.values() if not kind.is_event]


def kind_of_anchor(prefix: str) -> HistoryKind | None:
    """The kind whose change log entries have ids starting with `prefix`."""
    return next((kind for kind in LOGGED if kind.anchor == prefix), None)


def gate_model(kind: HistoryKind) -> type:
    """The model whose public flag gates the kind's rows."""
    return KINDS[kind.gate].model
