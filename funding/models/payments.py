from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from funding.formatting import format_money

from .contributions import COUNTED_AS_COMMITTED, Contribution
from .guarded import Guarded, GuardedQuerySet
from .money import money_field, non_negative
from .versioning import Versioned


def over_commitment_error(*, paid, amount) -> ValidationError:
    return ValidationError(
        _(
            "The payments would add up to %(paid)s, more than the %(amount)s of the contribution. "
            "Payments can never exceed the committed amount."
        )
        % {"paid": format_money(paid), "amount": format_money(amount)},
        code="over_commitment",
    )


def not_payable_error(contribution) -> ValidationError:
    return ValidationError(
        _("Only a committed contribution can be paid; this one is %(status)s.")
        % {"status": contribution.get_status_display()}
    )


class Payment(Guarded, Versioned):
    """Part of a commitment paid out on a date; payments never add up to more than the amount."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="payments"
    )
    paid_on = models.DateField(_("paid on"))
    amount = money_field(_("amount"))
    source = models.ForeignKey(
        "Source", verbose_name=_("source"), on_delete=models.PROTECT, null=True, blank=True
    )
    quote = models.TextField(_("quoted passage"), blank=True)
    history = HistoricalRecords()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["contribution", "paid_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [non_negative("amount", "payment")]

    def __str__(self):
        return f"{self.amount} {self.paid_on} ({self.contribution.funder})"

    def save(self, *args, check_limit: bool = True, **kwargs):
        """Save; with `check_limit`, refuse payments beyond the commitment and mark it disbursed.

        Forms validate the sum first; this check repeats it with the contribution's row locked,
        so two payments saved at the same moment cannot together exceed the amount.
        """
        if not check_limit:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            contribution = Contribution.objects.select_for_update().get(pk=self.contribution_id)
            paid_before = contribution.paid_total()
            super().save(*args, **kwargs)
            paid = contribution.paid_total()
            if paid > contribution.amount:
                raise over_commitment_error(paid=paid, amount=contribution.amount)
            contribution.mark_disbursed_if_paid()
            contribution.reopen_if_payments_fall_short(paid_before=paid_before)

    def delete(self, *args, **kwargs):
        """Delete; a contribution that this payment made disbursed is committed again."""
        with transaction.atomic():
            contribution = Contribution.objects.select_for_update().get(pk=self.contribution_id)
            paid_before = contribution.paid_total()
            result = super().delete(*args, **kwargs)
            contribution.reopen_if_payments_fall_short(paid_before=paid_before)
        return result

    def clean(self):
        if self.contribution_id is None or self.amount is None:
            return
        contribution = self.contribution
        if contribution.status not in COUNTED_AS_COMMITTED:
            raise not_payable_error(contribution)
        if getattr(self, "_limit_checked_by_formset", False):
            return
        paid = contribution.paid_total(excluding=self.pk) + self.amount
        if paid > contribution.amount:
            raise over_commitment_error(paid=paid, amount=contribution.amount)
