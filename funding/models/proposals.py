"""A change to what the public sees, waiting for a second person (the four-eyes rule).

The live rows are the approved state: every public surface reads them and nothing else. A
proposal holds what would change (the fields' values before and after, as JSON: money and dates
as strings, relations as ids) until an approver approves it (then it is applied to the live
rows), rejects it, or its proposer withdraws it. What is guarded, and how a proposal is applied,
is in funding/governance/.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProposalAction(models.TextChoices):
    CHANGE = "change", _("change")
    CREATE = "create", _("create")
    DELETE = "delete", _("delete")


class ProposalState(models.TextChoices):
    PENDING = "pending", _("awaiting approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")
    # The record changed (or went) since the proposal was made: it can no longer be applied.
    STALE = "stale", _("stale")


class ProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=ProposalState.PENDING)

    def for_record(self, instance):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(instance)), object_id=instance.pk
        )


class Proposal(models.Model):
    programme = models.ForeignKey(
        "Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"), on_delete=models.PROTECT, related_name="+"
    )
    # Empty for a proposed new record.
    object_id = models.PositiveBigIntegerField(_("record"), null=True, blank=True)
    subject = models.CharField(_("record (as proposed)"), max_length=300)
    action = models.CharField(_("action"), max_length=10, choices=ProposalAction.choices)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    # What else applying needs that is no field of the record (a status change's date and
    # source): kept apart from the values shown as before and after.
    extra = models.JSONField(_("with it"), default=dict, blank=True)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ProposalState.choices,
        default=ProposalState.PENDING,
        db_index=True,
    )
    decider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason for the decision"), blank=True)
    # An import's proposals share one batch and are approved together.
    batch = models.UUIDField(_("batch"), null=True, blank=True, db_index=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["state", "programme"], name="proposal_by_state"),
            models.Index(fields=["content_type", "object_id"], name="proposal_by_record"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.subject}"

    @property
    def model(self):
        return self.content_type.model_class()

    @property
    def rows(self) -> list[tuple[str, object, object]]:
        """Each field the proposal touches: its label, the value before and the one after."""
        model = self.model
        names = [*self.after, *(name for name in self.before if name not in self.after)]
        return [
            (
                str(model._meta.get_field(name).verbose_name),
                self.before.get(name),
                self.after.get(name),
            )
            for name in names
        ]
