"""Dates as a source expects them, as fuzzily as the source said it, each with its source.

`SourcedFuzzyDate` is what a milestone's date estimate and a contribution's expected decision
have in common: the fuzzy date, the span of days it can mean (stored, so lists sort in the
database), the source and the quoted passage.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from funding.fuzzydate import FuzzyDate, FuzzyDateError, Precision

from .guarded import Guarded, GuardedQuerySet
from .versioning import Versioned


class SourcedFuzzyDate(Guarded, Versioned):
    """A fuzzy date given by a source: "begin 2026", "Q3 2026" or a day."""

    precision = models.CharField(_("precision"), max_length=10, choices=Precision)
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.PositiveSmallIntegerField(
        _("period"),
        null=True,
        blank=True,
        help_text=_("Part 1-3 (early, mid, late), half 1-2, quarter 1-4 or month 1-12."),
    )
    day = models.DateField(_("day"), null=True, blank=True)
    # Derived from the fields above on save; stored so that lists sort in the database.
    earliest = models.DateField(_("earliest day"), editable=False)
    latest = models.DateField(_("latest day"), editable=False)
    source = models.ForeignKey("Source", verbose_name=_("source"), on_delete=models.PROTECT)
    quote = models.TextField(_("quoted passage"), blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        fuzzy = self.fuzzy_date
        self.earliest, self.latest = fuzzy.earliest, fuzzy.latest
        super().save(*args, **kwargs)

    @property
    def fuzzy_date(self) -> FuzzyDate:
        return FuzzyDate(self.precision, self.year, self.period, self.day)

    @property
    def when(self) -> str:
        """The date as people say it; the year alone when the fields do not make a date."""
        try:
            return str(self.fuzzy_date)
        except FuzzyDateError:
            # An admin form that failed validation leaves its values on the instance, and the
            # page still names it: say the year rather than fail.
            return str(self.year)

    def clean_fields(self, exclude=None):
        # The span is derived on save, not entered, so it is not validated as input.
        super().clean_fields(exclude={*(exclude or ()), "earliest", "latest"})

    def clean(self):
        try:
            self.fuzzy_date  # noqa: B018 (building it validates the combination)
        except FuzzyDateError as error:
            raise ValidationError({"period": str(error)}) from error


class DecisionEstimate(SourcedFuzzyDate):
    """When a source expects the decision on a requested contribution."""

    contribution = models.ForeignKey(
        "Contribution",
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="decision_estimates",
    )
    history = HistoricalRecords()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["contribution", "earliest", "latest", "pk"]
        verbose_name = _("expected decision")
        verbose_name_plural = _("expected decisions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(earliest__lte=models.F("latest")),
                name="decision_estimate_span_in_order",
            )
        ]

    def __str__(self):
        return f"{self.contribution.funder_label}: {self.when}"
