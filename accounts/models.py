from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignInEvent(models.Model):
    """One event in signing in or out, kept for the security officer (read-only in the admin)."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in")
        FAILED = "failed", _("Sign-in failed")
        LOCKED_OUT = "locked_out", _("Locked out")
        LOCKOUT_LIFTED = "lockout_lifted", _("Lockout lifted")
        SIGNED_OUT = "signed_out", _("Signed out")
        SESSION_EXPIRED = "session_expired", _("Session expired")
        TWO_FACTOR_SET_UP = "two_factor_set_up", _("Two-factor set up")
        # A new authenticator app in place of the one before: only after a code from a device.
        SECOND_FACTOR_REPLACED = "second_factor_replaced", _("Second factor replaced")
        RECOVERY_CODES_CREATED = "recovery_codes_created", _("Recovery codes created")
        TWO_FACTOR_PASSED = "two_factor_passed", _("Second factor accepted")
        TWO_FACTOR_FAILED = "two_factor_failed", _("Second factor refused")
        GROUPS_CHANGED = "groups_changed", _("Groups changed by single sign-on")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("user name tried"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"


class SsoIdentity(models.Model):
    """The account a person of an organisation's OpenID Connect provider signs in to.

    Matched on the provider's issuer and subject, never on a user name or e-mail address, so
    single sign-on can never take over a local account (such as the break-glass admin).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identity"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique")
        ]
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")

    def __str__(self):
        return f"{self.subject} ({self.issuer})"
