from django.db import models
from django.db.models import F, Max, Min
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .estimates import SourcedFuzzyDate
from .guarded import Guarded, GuardedQuerySet
from .versioning import Versioned


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DONE = "done", _("done")
    DELAYED = "delayed", _("delayed")
    CANCELLED = "cancelled", _("cancelled")


# The timeline's order, from the annotations `expected_from` and `expected_until`: the earliest
# expected day first, milestones with no estimate (done ones) before them. "id", not "pk": a
# milestone's history rows (funding/figures/past/) are put in the same order.
TIMELINE_ORDER = (
    F("expected_from").asc(nulls_first=True),
    F("expected_until").asc(),
    "position",
    "id",
)


class MilestoneQuerySet(GuardedQuerySet):
    def public(self):
        return self.filter(is_public=True)

    def in_timeline_order(self):
        """Order by the earliest expected day; milestones with no estimate (done ones) first."""
        return self.annotate(
            expected_from=Min("estimates__earliest"), expected_until=Max("estimates__latest")
        ).order_by(*TIMELINE_ORDER)


class Milestone(Guarded, Versioned):
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


class DateEstimate(SourcedFuzzyDate):
    """When a source expects a milestone, as fuzzily as the source said it."""

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="estimates"
    )
    history = HistoricalRecords()

    objects = GuardedQuerySet.as_manager()

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
        return f"{self.milestone}: {self.when}"
