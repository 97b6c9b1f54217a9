"""Locking out guessing: django-axes' limits, and the page a locked visitor gets.

Two limits, counted in axes' records of failed sign-ins within the cool-off time:
LOCKOUT_FAILURES for one user name from one address (a person's typos or a guess at one
account), and the higher LOCKOUT_ADDRESS_FAILURES for one address across all user names (a few
guesses at many accounts, "password spraying"). A successful sign-in clears that person's own
failures, so an office behind one address is locked only by failures nobody followed with the
right password.

Wrong second-factor codes have a limit of their own, per user across all addresses: whoever
gives a code already has the password, so signing in again (which clears axes' counts) or from
another address must not buy more guesses. LOCKOUT_FAILURES wrong codes within LOCKOUT_MINUTES
lock the code step for that user; only a right code (or a lockout lifted in the admin) starts the
count again. The count is read from the sign-in audit, which keeps every code refused and
accepted and which nobody can change.

The page says the same for a user name that exists and one that does not, so it cannot be used
to find out which accounts there are.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

from accounts.models import SignInEvent

# What starts the count of wrong codes again: a right one, or a funding admin lifting a lockout.
CODE_COUNT_RESETS = [SignInEvent.Kind.TWO_FACTOR_PASSED, SignInEvent.Kind.LOCKOUT_LIFTED]


def lockout_response(request, original_response=None, credentials=None):
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "accounts/locked_out.html", {"lockout_minutes": minutes}, status=429)


def address_failures(request) -> int:
    """Failed sign-ins from the request's address, for any user name, within the cool-off."""
    return AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address,
        attempt_time__gte=get_cool_off_threshold(request),
    ).aggregate(total=Sum("failures_since_start", default=0))["total"]


class SignInLockoutHandler(AxesDatabaseHandler):
    """axes' database handler, with the second limit for one address across user names."""

    def get_failures(self, request, credentials=None) -> int:
        # axes compares this one number with its one limit (AXES_FAILURE_LIMIT), both to refuse
        # a sign-in and to lock out after a failure; an address over its own limit counts as
        # the user name and address pair having reached it.
        failures = super().get_failures(request, credentials)
        if address_failures(request) < settings.LOCKOUT_ADDRESS_FAILURES:
            return failures
        request.locked_by_address = True  # for the audit's detail
        return max(failures, get_failure_limit(request, credentials))


def wrong_codes(user) -> int:
    """Wrong second-factor codes for the user from any address, within the cool-off, since the
    last right code or lifted lockout."""
    recent = SignInEvent.objects.filter(
        username=user.get_username(), at__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    last_reset = recent.filter(kind__in=CODE_COUNT_RESETS).aggregate(at=Max("at"))["at"]
    failures = recent.filter(kind=SignInEvent.Kind.TWO_FACTOR_FAILED)
    if last_reset is not None:
        failures = failures.filter(at__gt=last_reset)
    return failures.count()


def code_step_locked(user) -> bool:
    return wrong_codes(user) >= settings.AXES_FAILURE_LIMIT
