"""What `check_sources` found: each fetch of a source kept as a snapshot, and each quoted passage
checked against it. Written by the check only; the funding records themselves are never changed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SnapshotOutcome(models.TextChoices):
    OK = "ok", _("archived")
    UNAVAILABLE = "unavailable", _("unavailable")
    REFUSED = "refused", _("address refused")
    TOO_LARGE = "too_large", _("too large")
    NOT_TEXT = "not_text", _("not text")
    TIMEOUT = "timeout", _("timed out")
    HTTP_ERROR = "http_error", _("HTTP error")


class SnapshotOrigin(models.TextChoices):
    ADDRESS = "address", _("fetched from its address")
    SHIPPED = "shipped", _("text shipped with the software")


class SourceSnapshot(models.Model):
    """One fetch of a source: what came back, and the text the quotes were checked against."""

    source = models.ForeignKey(
        "Source", verbose_name=_("source"), on_delete=models.CASCADE, related_name="snapshots"
    )
    fetched_at = models.DateTimeField(_("checked at"))
    origin = models.CharField(_("origin"), max_length=10, choices=SnapshotOrigin)
    url = models.TextField(_("address asked"), blank=True)
    final_url = models.TextField(_("address answered"), blank=True)
    redirects = models.JSONField(_("redirects"), default=list, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=SnapshotOutcome)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    # The text is kept once per source and version: a later snapshot with the same text points
    # to the one that holds it, so a daily check of an unchanged page adds no copy.
    text = models.TextField(_("text"), blank=True)
    text_in = models.ForeignKey(
        "self",
        verbose_name=_("same text as"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sha256 = models.CharField(_("SHA-256 of the text"), max_length=64, blank=True)
    changed = models.BooleanField(
        _("changed since first archived"),
        default=False,
        help_text=_("The text differs from the first text archived for this source."),
    )
    is_latest = models.BooleanField(_("latest check"), default=True)

    class Meta:
        ordering = ["-fetched_at", "-pk"]
        verbose_name = _("source snapshot")
        verbose_name_plural = _("source snapshots")
        indexes = [models.Index(fields=["source", "-fetched_at"], name="snapshot_source_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["source"],
                condition=models.Q(is_latest=True),
                name="one_latest_snapshot_per_source",
            )
        ]

    def __str__(self):
        return f"{self.source} ({self.get_outcome_display()}, {self.fetched_at:%Y-%m-%d %H:%M})"

    @property
    def archived_text(self) -> str:
        """The text of this fetch, wherever it is kept."""
        return self.text_in.text if self.text_in_id else self.text

    @property
    def broken(self) -> bool:
        return self.outcome != SnapshotOutcome.OK


class QuoteState(models.TextChoices):
    FOUND = "found", _("found")
    NOT_FOUND = "not_found", _("not found")
    SOURCE_UNAVAILABLE = "source_unavailable", _("source unavailable")


class QuotingKind(models.TextChoices):
    """The records that quote a source (funding/source_checks.py reads each)."""

    PROGRAMME_TARGET = "programme_target", _("programme target")
    CONTRIBUTION = "contribution", _("contribution")
    STATUS_EVENT = "status_event", _("status change")
    DECISION_ESTIMATE = "decision_estimate", _("expected decision")
    PAYMENT = "payment", _("payment")
    PARTNER = "partner", _("partner role")
    MILESTONE = "milestone", _("milestone status")
    DATE_ESTIMATE = "date_estimate", _("milestone date estimate")


class QuoteCheck(models.Model):
    """One quoted passage checked against one snapshot of the source it cites."""

    snapshot = models.ForeignKey(
        SourceSnapshot,
        verbose_name=_("snapshot"),
        on_delete=models.CASCADE,
        related_name="quote_checks",
    )
    kind = models.CharField(_("quoted by"), max_length=30, choices=QuotingKind)
    record_id = models.PositiveBigIntegerField(_("record"))
    programme = models.ForeignKey(
        "Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    quote = models.TextField(_("quoted passage"))
    state = models.CharField(_("state"), max_length=20, choices=QuoteState)
    checked_at = models.DateTimeField(_("checked at"))

    class Meta:
        ordering = ["snapshot", "kind", "record_id"]
        verbose_name = _("quote check")
        verbose_name_plural = _("quote checks")
        indexes = [models.Index(fields=["programme", "state"], name="quote_check_programme")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.record_id}: {self.get_state_display()}"
