"""Programme teams: who works on which programme, and in what role.

The portfolio-wide groups (funding/permissions.py) still give rights across every programme;
a membership gives rights on one. What each role may do is decided in funding/permissions.py,
never here.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamRole(models.TextChoices):
    # Ordered from least to most: each role may do what the ones before it may.
    VIEWER = "viewer", _("viewer")
    EDITOR = "editor", _("editor")
    APPROVER = "approver", _("approver")


ROLE_RANK = {TeamRole.VIEWER: 1, TeamRole.EDITOR: 2, TeamRole.APPROVER: 3}


class ProgrammeMembership(models.Model):
    """One person's role on one programme's team."""

    programme = models.ForeignKey(
        "Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="programme_memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=TeamRole.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now=True)

    class Meta:
        verbose_name = _("programme team member")
        verbose_name_plural = _("programme team members")
        ordering = ["programme", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user"], name="one_role_per_person_and_programme"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["viewer", "editor", "approver"]),
                name="membership_role_known",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.programme} · {self.get_role_display()}"
