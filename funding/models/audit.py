"""The governance audit: every proposal, decision, break-glass use, team change and four-eyes
switch, with who, when, what, before and after, and why.

Rows are only ever added (`funding/audit.py` writes them); the admin shows them read-only and
exports them as CSV. Names are copied into the row so that it still says who and what after the
user or the programme is deleted.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditKind(models.TextChoices):
    PROPOSED = "proposed", _("change proposed")
    APPROVED = "approved", _("proposal approved")
    REJECTED = "rejected", _("proposal rejected")
    WITHDRAWN = "withdrawn", _("proposal withdrawn")
    BREAK_GLASS = "break_glass", _("change applied alone (break-glass)")
    TEAM_ADDED = "team_added", _("team member added")
    TEAM_CHANGED = "team_changed", _("team member's role changed")
    TEAM_REMOVED = "team_removed", _("team member removed")
    FOUR_EYES_ON = "four_eyes_on", _("four-eyes rule turned on")
    FOUR_EYES_OFF = "four_eyes_off", _("four-eyes rule turned off")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("what"), max_length=20, choices=AuditKind.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("who (as recorded)"), max_length=150, blank=True)
    programme = models.ForeignKey(
        "Programme",
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    programme_name = models.CharField(_("programme (as recorded)"), max_length=300, blank=True)
    subject = models.CharField(_("record"), max_length=300, blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.TextField(_("why"), blank=True)

    class Meta:
        verbose_name = _("governance audit entry")
        verbose_name_plural = _("governance audit")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["programme", "-at"], name="audit_by_programme")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}: {self.subject}"
