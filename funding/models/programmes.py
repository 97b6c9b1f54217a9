from django.db import models
from django.db.models import (
    Case,
    DecimalField,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .guarded import Guarded, GuardedQuerySet
from .money import MONEY_DIGITS, ZERO, money_field, non_negative
from .versioning import Versioned

# Wide enough for any ratio of two amounts (a target typed in euros instead of millions gives
# shares of millions of percent): a narrower cast overflows on PostgreSQL.
SHARE_FIELD = DecimalField(max_digits=30, decimal_places=2)
MONEY_OUTPUT = DecimalField(**MONEY_DIGITS)


def _summed(queryset, *, group_by: str, field: str):
    """A correlated subquery summing `field` per programme, 0 when there is nothing to sum."""
    total = (
        queryset.order_by()
        .values(group_by)
        .annotate(total=Sum(field, output_field=MONEY_OUTPUT))
        .values("total")
    )
    return Coalesce(
        Subquery(total, output_field=MONEY_OUTPUT), Value(ZERO), output_field=MONEY_OUTPUT
    )


def committed_share(committed, target: str = "target"):
    """The committed amount as a percentage of the target, two decimals; empty without a target.

    `target` names the field (or annotation) that holds the target: the target as it stood
    at another moment (funding/figures/share_change.py) is an annotation.
    """
    return Case(
        When(
            Q(**{f"{target}__gt": 0}),
            # A ratio, not money: SQLite stores whole amounts as integers and divides them as
            # integers (131M of 200M would give 65, not 65.5), so divide as floats and round to
            # two decimals.
            then=Cast(Cast(committed, FloatField()) * Value(100.0) / F(target), SHARE_FIELD),
        ),
        default=None,
        output_field=SHARE_FIELD,
    )


class ProgrammeQuerySet(GuardedQuerySet):
    def public(self):
        return self.filter(is_public=True)

    def with_totals(self, *, public_only: bool = False):
        """Annotate committed, pending, disbursed, gap and committed share, summed in the database.

        Withdrawn contributions count in no total. With `public_only`, only public contributions
        count, which is what the public pages and the open data show.
        """
        from .contributions import COUNTED_AS_COMMITTED, Contribution, ContributionStatus
        from .payments import Payment

        contributions = Contribution.objects.filter(programme=OuterRef("pk"))
        payments = Payment.objects.filter(
            contribution__programme=OuterRef("pk"),
            contribution__status__in=COUNTED_AS_COMMITTED,
        )
        if public_only:
            contributions = contributions.filter(is_public=True)
            payments = payments.filter(contribution__is_public=True)
        committed = contributions.filter(status__in=COUNTED_AS_COMMITTED)
        pending = contributions.filter(status=ContributionStatus.REQUESTED)
        return with_totals_of(
            self,
            committed=_summed(committed, group_by="programme", field="amount"),
            pending=_summed(pending, group_by="programme", field="amount"),
            disbursed=_summed(payments, group_by="contribution__programme", field="amount"),
        )


def with_totals_of(queryset, *, committed, pending, disbursed):
    """Annotate the three sums given (subqueries) and what follows from them: the gap and the
    committed share. The live totals and a programme's totals as they stood on a past day
    (funding/figures/past/) are both made here."""
    return queryset.annotate(committed=committed, pending=pending, disbursed=disbursed).annotate(
        gap=Greatest(F("target") - F("committed"), Value(ZERO), output_field=MONEY_OUTPUT),
        committed_share=committed_share(F("committed")),
    )


class Programme(Guarded, Versioned):
    """A public investment being tracked, with the amount it aims to raise."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    purpose = models.TextField(
        _("what the money is for"), blank=True, help_text=_("Application areas named by sources.")
    )
    purpose_en = models.TextField(_("what the money is for, in English"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    location_en = models.CharField(_("location in English"), max_length=200, blank=True)
    target = money_field(_("target amount"))
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    target_source = models.ForeignKey(
        "Source",
        verbose_name=_("source of the target"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    target_quote = models.TextField(_("quoted passage for the target"), blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    four_eyes = models.BooleanField(
        _("four-eyes rule"),
        default=True,
        help_text=_(
            "On: a change to public money, statuses, dates or publication waits for a second "
            "person's approval. Turned off or on only by an approver, with a reason."
        ),
    )
    # The switch is no part of the record's content: its own audit (funding/audit.py) records
    # who turned it, when and why, and a revert leaves it as it is.
    history = HistoricalRecords(excluded_fields=["four_eyes"])

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [non_negative("target", "programme")]
        # Lists ordered by programme (contributions, status events, payments) walk this index
        # and stop after one page instead of sorting every row.
        indexes = [models.Index(fields=["name"], name="programme_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("funding:programme", kwargs={"slug": self.slug})


class Role(models.TextChoices):
    CONSORTIUM_MEMBER = "consortium_member", _("consortium member")
    APPLICANT = "applicant", _("applicant")
    HOST = "host", _("host")


class PartnerRole(Guarded, Versioned):
    """An organisation's part in a programme, on the word of a source."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="partners"
    )
    organisation = models.ForeignKey(
        "Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="roles",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    source = models.ForeignKey(
        "Source", verbose_name=_("source"), on_delete=models.PROTECT, null=True, blank=True
    )
    quote = models.TextField(_("quoted passage"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    history = HistoricalRecords()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "role", "organisation__name"]
        verbose_name = _("partner role")
        verbose_name_plural = _("partner roles")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation", "role"], name="partner_role_once"
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()}), {self.programme}"
