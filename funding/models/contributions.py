from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from funding.formatting import format_money
from funding.governance.context import APPROVED, current_mode
from funding.languages import in_language

from .guarded import Guarded, GuardedQuerySet
from .money import ZERO, money_field, non_negative
from .organisations import Source
from .versioning import Versioned


class ContributionStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    COMMITTED = "committed", _("committed")
    DISBURSED = "disbursed", _("disbursed")
    WITHDRAWN = "withdrawn", _("withdrawn")


# A disbursed contribution was committed first: it still counts towards the committed total.
COUNTED_AS_COMMITTED = [ContributionStatus.COMMITTED, ContributionStatus.DISBURSED]

# The decisions that can move a contribution from one status to another. Anything else (withdrawn
# to disbursed, requested to disbursed) is refused; undoing a mistake is a revert, not a decision.
ALLOWED_TRANSITIONS = {
    ContributionStatus.REQUESTED: {ContributionStatus.COMMITTED, ContributionStatus.WITHDRAWN},
    ContributionStatus.COMMITTED: {ContributionStatus.DISBURSED, ContributionStatus.WITHDRAWN},
    # A payment found to be wrong reopens the rest of the commitment.
    ContributionStatus.DISBURSED: {ContributionStatus.COMMITTED},
    # A request filed again.
    ContributionStatus.WITHDRAWN: {ContributionStatus.REQUESTED},
}


def transition_allowed(old: str, new: str) -> bool:
    return old == new or new in ALLOWED_TRANSITIONS.get(old, set())


def transition_error(old: str, new: str) -> str:
    """The message that refuses a move from status `old` to `new`."""
    allowed = sorted(str(ContributionStatus(status).label) for status in ALLOWED_TRANSITIONS[old])
    return _(
        "A contribution cannot go from %(old)s to %(new)s. From %(old)s it can only become: "
        "%(allowed)s."
    ) % {
        "old": ContributionStatus(old).label,
        "new": ContributionStatus(new).label,
        "allowed": ", ".join(allowed),
    }


@dataclass(frozen=True)
class StatusChange:
    """What to record with the next status change: when it took effect and on whose word."""

    effective_on: date | None = None
    source: Source | None = None
    quote: str = ""
    note: str = ""


class ContributionQuerySet(GuardedQuerySet):
    def public(self):
        return self.filter(is_public=True)

    def counted(self):
        """Contributions that count in some total: everything but withdrawn ones."""
        return self.exclude(status=ContributionStatus.WITHDRAWN)

    def with_disbursed(self):
        """Annotate each contribution's payments as `disbursed`.

        A subquery per row rather than a join with GROUP BY: counting the rows of a page then
        needs no payments at all, and the payments of a page are looked up by their index.
        """
        from .payments import Payment

        paid = (
            Payment.objects.filter(contribution=models.OuterRef("pk"))
            .order_by()
            .values("contribution")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return self.annotate(
            disbursed=models.functions.Coalesce(
                models.Subquery(paid, output_field=models.DecimalField()),
                models.Value(ZERO),
                output_field=models.DecimalField(),
            )
        )


class Contribution(Guarded, Versioned):
    """Money a funder pledged, requested or paid to a programme, through one instrument."""

    programme = models.ForeignKey(
        "Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    key = models.SlugField(
        _("key"), max_length=80, help_text=_("Identifies the contribution within its programme.")
    )
    funder = models.ForeignKey(
        "Organisation",
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    instrument = models.CharField(
        _("instrument or budget line"), max_length=200, blank=True, help_text=_("e.g. Nij Begun")
    )
    instrument_en = models.CharField(
        _("instrument or budget line in English"), max_length=200, blank=True
    )
    amount = money_field(_("amount"))
    status = models.CharField(
        _("status"), max_length=20, choices=ContributionStatus, default=ContributionStatus.REQUESTED
    )
    notes = models.TextField(_("notes"), blank=True)
    notes_en = models.TextField(_("notes in English"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    sources = models.ManyToManyField(
        "Source", verbose_name=_("sources"), through="ContributionSource", blank=True
    )
    history = HistoricalRecords()

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "-amount", "key"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            non_negative("amount", "contribution"),
            models.UniqueConstraint(fields=["programme", "key"], name="contribution_key_once"),
        ]
        # What the staff dashboards ask of one programme's contributions (docs/decisions.md):
        # the table's default order, its status filter and the totals, its funder and instrument
        # choices.
        indexes = [
            models.Index(fields=["programme", "-amount", "key"], name="contribution_by_amount"),
            models.Index(fields=["programme", "status", "amount"], name="contribution_by_status"),
            models.Index(fields=["programme", "funder"], name="contribution_by_funder"),
            models.Index(fields=["programme", "instrument"], name="contribution_by_instrument"),
            # The admin's instrument filter walks the instruments of all programmes in order.
            models.Index(fields=["instrument"], name="contribution_instrument"),
        ]
        # On PostgreSQL, migration 0007 adds trigram indexes for the admin's search (key,
        # instrument, notes); they are not declared here because SQLite cannot build them.

    def __str__(self):
        return f"{self.funder_label}: {self.get_status_display()}"

    @property
    def funder_label(self) -> str:
        """The funder, with the instrument or budget line when there is one."""
        return _labelled(str(self.funder), self.instrument)

    def funder_label_in_language(self) -> str:
        """The funder label in the active language, where English names were given."""
        funder, instrument = in_language(self.funder, "name"), in_language(self, "instrument")
        return _labelled(funder.text, instrument.text)

    def save(self, *args, **kwargs):
        """Save, and record a status event when the contribution is new or its status changed.

        Set `status_change` (a StatusChange) before saving to give the event's date and source.
        """
        event = self.pending_status_event()
        super().save(*args, **kwargs)
        if event is not None:
            event.save()
            self.status_recorded()

    def pending_status_event(self) -> "StatusEvent | None":
        """The event to record with the next save: when new, or when the status changed."""
        if getattr(self, "_saved_status", None) == self.status:
            return None
        change = getattr(self, "status_change", None) or StatusChange()
        return StatusEvent(
            contribution=self,
            status=self.status,
            effective_on=change.effective_on,
            source=change.source,
            quote=change.quote,
            note=change.note,
            approved=current_mode() == APPROVED,
        )

    def status_recorded(self) -> None:
        """The saved status and its event are written: the next change starts from here."""
        self._saved_status = self.status
        self.status_change = None

    # An import loads the payments' sum and count with the rows it updates (`paid_loaded`,
    # `payment_count_loaded`), so checking a thousand rows takes no query per row.

    def paid_so_far(self) -> Decimal:
        loaded = getattr(self, "paid_loaded", None)
        return self.paid_total() if loaded is None else loaded

    def has_payments(self) -> bool:
        loaded = getattr(self, "payment_count_loaded", None)
        return self.payments.exists() if loaded is None else loaded > 0

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._saved_status = instance.status
        return instance

    def clean(self):
        old = getattr(self, "_saved_status", None)
        # A revert restores an earlier state: it undoes a mistake rather than record a decision.
        reverting = getattr(self, "_reverting", False)
        if old and not reverting and not transition_allowed(old, self.status):
            raise ValidationError({"status": transition_error(old, self.status)})
        if self.pk and self.status not in COUNTED_AS_COMMITTED and self.has_payments():
            # Also on a revert: payments on a contribution that is not committed would drop
            # out of every total without a trace.
            raise ValidationError(
                {
                    "status": _(
                        "Payments have been recorded on this contribution; it can only be "
                        "committed or disbursed. Remove the payments first."
                    )
                }
            )
        if self.pk and self.amount is not None:
            paid = self.paid_so_far()
            if paid > self.amount:
                raise ValidationError(
                    {
                        "amount": _(
                            "Payments of %(paid)s have been recorded; the amount cannot be less."
                        )
                        % {"paid": format_money(paid)}
                    }
                )

    def paid_total(self, *, excluding=None) -> Decimal:
        """The sum of this contribution's payments, summed in the database."""
        from .payments import Payment

        payments = Payment.objects.filter(contribution_id=self.pk)
        if excluding is not None:
            payments = payments.exclude(pk=excluding)
        return payments.aggregate(total=Sum("amount", default=ZERO))["total"]

    def mark_disbursed_if_paid(self) -> bool:
        """A committed contribution whose payments reach its amount becomes disbursed."""
        if self.status != ContributionStatus.COMMITTED or not self.amount:
            return False
        if self.paid_total() < self.amount:
            return False
        last = self.payments.order_by("-paid_on", "-pk").select_related("source").first()
        self.status = ContributionStatus.DISBURSED
        self.status_change = StatusChange(
            effective_on=last.paid_on,
            source=last.source,
            quote=last.quote,
            note=str(_("The payments reached the amount.")),
        )
        self.save()
        return True

    def reopen_if_payments_fall_short(self, *, paid_before: Decimal) -> bool:
        """A disbursed contribution goes back to committed when a payment that brought it there
        is removed or lowered; a status set by a decision, with payments never reaching the
        amount, is left alone."""
        if self.status != ContributionStatus.DISBURSED or paid_before < self.amount:
            return False
        if self.paid_total() >= self.amount:
            return False
        self.status = ContributionStatus.COMMITTED
        note = _("A payment was removed or lowered; the payments no longer reach the amount.")
        self.status_change = StatusChange(note=str(note))
        self.save()
        return True

    @property
    def split_published(self) -> bool:
        """False when co-funders share this amount in parts that no source has published."""
        return all(share.amount is not None for share in self.shares.all())


def _labelled(funder: str, instrument: str) -> str:
    return f"{funder} ({instrument})" if instrument else funder


class ContributionSource(models.Model):
    """A source for a contribution, with the passage that gives the figure."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="citations"
    )
    source = models.ForeignKey("Source", verbose_name=_("source"), on_delete=models.PROTECT)
    quote = models.TextField(_("quoted passage"), blank=True)
    # Kept so that a page as it stood on a past day cites what it cited then
    # (funding/figures/past/), also for a contribution removed since.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source of a contribution")
        verbose_name_plural = _("sources of a contribution")
        constraints = [
            models.UniqueConstraint(fields=["contribution", "source"], name="citation_once")
        ]

    def __str__(self):
        return str(self.source)


class ContributionShare(Guarded, models.Model):
    """A co-funder's part of a contribution; no amount means the split is not published."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        "Organisation", verbose_name=_("co-funder"), on_delete=models.PROTECT
    )
    amount = money_field(
        _("amount"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the split is not published."),
    )
    history = HistoricalRecords()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("co-funder share")
        verbose_name_plural = _("co-funder shares")
        constraints = [
            non_negative("amount", "contribution_share"),
            models.UniqueConstraint(fields=["contribution", "organisation"], name="share_once"),
        ]

    def __str__(self):
        return f"{self.organisation} in {self.contribution}"


class StatusEvent(models.Model):
    """A contribution entering a status: the record that funds over time are plotted from."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="status_events"
    )
    status = models.CharField(_("status"), max_length=20, choices=ContributionStatus)
    effective_on = models.DateField(
        _("took effect on"), null=True, blank=True, help_text=_("Empty when no source gives it.")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    source = models.ForeignKey(
        "Source", verbose_name=_("source"), on_delete=models.PROTECT, null=True, blank=True
    )
    quote = models.TextField(_("quoted passage"), blank=True)
    note = models.TextField(_("note"), blank=True)
    # Recorded when an approved proposal (the four-eyes rule) made the change: the public
    # change log says that a second person approved it.
    approved = models.BooleanField(_("approved by a second person"), default=False)

    class Meta:
        ordering = ["contribution", "recorded_at", "pk"]
        verbose_name = _("status event")
        verbose_name_plural = _("status events")

    def __str__(self):
        return f"{self.contribution.funder}: {self.get_status_display()}"
