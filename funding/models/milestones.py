from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Max, Min
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from funding.fuzzydate import FuzzyDate, FuzzyDateError, Precision

from .versioning import Versioned


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DONE = "done", _("done")
    DELAYED = "delayed", _("delayed")
    CANCELLED = "cancelled", _("cancelled")


class MilestoneQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def in_timeline_order(self):
        """Order by the earliest expected day; milestones with no estimate (done ones) first."""
        return self.annotate(
            expected_from=Min("estimates__earliest"), expected_until=Max("estimates__latest")
        ).order_by(
            F("expected_from").asc(nulls_first=True), F("expected_until").asc(), "position", "pk"
        )


class Milestone(Versioned):
    programme = models.ForeignKey(
        "Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    key = models.SlugField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MilestoneStatus, default=MilestoneStatus.PLANNED
    )
    reached_on = models.DateField(
        _("reached on"), null=True, blank=True, help_text=_("Empty when no source gives the date.")
    )
    source = models.ForeignKey(
        "Source",
        verbose_name=_("source for the status"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    quote = models.TextField(_("quoted passage"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Breaks ties between milestones without a date.")
    )
    is_public = models.BooleanField(_("public"), default=True)
    history = HistoricalRecords()

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "position", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="milestone_key_once")
        ]

    def __str__(self):
        return self.title


class DateEstimate(Versioned):
    """When a source expects a milestone, as fuzzily as the source said it."""

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="estimates"
    )
    precision = models.CharField(_("precision"), max_length=10, choices=Precision)
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.PositiveSmallIntegerField(
        _("period"),
        null=True,
        blank=True,
        help_text=_("Part 1-3 (early, mid, late), half 1-2, quarter 1-4 or month 1-12."),
    )
    day = models.DateField(_("day"), null=True, blank=True)
    # Derived from the fields above on save; stored so that timelines sort in the database.
    earliest = models.DateField(_("earliest day"), editable=False)
    latest = models.DateField(_("latest day"), editable=False)
    source = models.ForeignKey("Source", verbose_name=_("source"), on_delete=models.PROTECT)
    quote = models.TextField(_("quoted passage"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["milestone", "earliest", "latest", "pk"]
        verbose_name = _("date estimate")
        verbose_name_plural = _("date estimates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(earliest__lte=models.F("latest")), name="estimate_span_in_order"
            )
        ]

    def __str__(self):
        try:
            when = str(self.fuzzy_date)
        except FuzzyDateError:
            # An admin form that failed validation leaves its values on the instance, and the
            # page still names it: say the year rather than fail.
            when = str(self.year)
        return f"{self.milestone}: {when}"

    def save(self, *args, **kwargs):
        fuzzy = self.fuzzy_date
        self.earliest, self.latest = fuzzy.earliest, fuzzy.latest
        super().save(*args, **kwargs)

    @property
    def fuzzy_date(self) -> FuzzyDate:
        return FuzzyDate(self.precision, self.year, self.period, self.day)

    def clean_fields(self, exclude=None):
        # The span is derived on save, not entered, so it is not validated as input.
        super().clean_fields(exclude={*(exclude or ()), "earliest", "latest"})

    def clean(self):
        try:
            self.fuzzy_date  # noqa: B018 (building it validates the combination)
        except FuzzyDateError as error:
            raise ValidationError({"period": str(error)}) from error
