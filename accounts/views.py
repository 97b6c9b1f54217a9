"""Two-factor pages: enter a code, set up an authenticator app, create recovery codes.

Every page that changes a second factor goes through `code_before_changes` (accounts/two_factor.py):
someone who has a device gives a code from it first.
"""

from urllib.parse import urlencode

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from two_factor import views as two_factor_views

from accounts.audit import record
from accounts.lockout import code_step_locked, lockout_response
from accounts.models import SignInEvent
from accounts.two_factor import code_before_changes

SECOND_FACTOR_FAILED = "second factor"
CODE_STEP_LOCKED = "wrong codes for this user from every address"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


def safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if allowed else default


def _locked(request) -> bool:
    """The user name and address pair (or the address) is locked, or the user's code step is."""
    credentials = {settings.AXES_USERNAME_FORM_FIELD: request.user.get_username()}
    return not AxesProxyHandler.is_allowed(request, credentials) or code_step_locked(request.user)


def _one_code_at_a_time(user) -> None:
    """Hold the user's row until the request's transaction ends: codes sent at once are checked
    in turn, each after the count the one before left (SQLite serialises writes anyway)."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).values("pk").first()


@never_cache
@login_required
@transaction.atomic
def verify(request):
    """The second step: a code from the authenticator app, or one recovery code (used once).

    A wrong code counts as a failed sign-in for django-axes (the user name and address pair,
    and the address) and toward the user's own limit of wrong codes from every address
    (accounts/lockout.py); at either limit the half-signed-in session ends. One user's codes
    are checked one at a time, so codes sent at once cannot all slip in under the limit.
    """
    next_url = safe_next(request, reverse("admin:index"))
    if not user_has_device(request.user):
        return redirect(f"{reverse('two_factor_setup')}?{urlencode({'next': next_url})}")
    if request.method == "POST":
        _one_code_at_a_time(request.user)
    if _locked(request):
        logout(request)
        return lockout_response(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].replace(" ", "")
        device = match_token(request.user, code)
        if device is not None:
            django_otp.login(request, device)
            method = "recovery code" if isinstance(device, StaticDevice) else "authenticator app"
            record(
                SignInEvent.Kind.TWO_FACTOR_PASSED,
                request=request,
                user=request.user,
                detail=method,
            )
            return redirect(next_url)
        user_login_failed.send(
            sender=__name__,
            credentials={settings.AXES_USERNAME_FORM_FIELD: request.user.get_username()},
            request=request,
            reason=SECOND_FACTOR_FAILED,
        )
        if code_step_locked(request.user):
            # Reached with this code: later ones are refused above, before they are checked.
            record(
                SignInEvent.Kind.LOCKED_OUT,
                request=request,
                user=request.user,
                detail=CODE_STEP_LOCKED,
            )
        if getattr(request, "axes_locked_out", False) or _locked(request):
            logout(request)
            return lockout_response(request)
        form.add_error("code", _("This code is not valid. Try the current code from your app."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@method_decorator(code_before_changes, name="dispatch")
class SetupView(two_factor_views.SetupView):
    """django-two-factor-auth's set-up of an authenticator app (TOTP), in the site's pages.

    Someone who already has a device reaches it only after a code (the rule in dispatch); their
    new app then replaces the old one, recorded as such.
    """

    template_name = "accounts/two_factor_setup.html"
    success_url = "two_factor_setup_complete"
    qrcode_url = "two_factor_qr"

    def get(self, request, *args, **kwargs):
        # django-two-factor-auth sends anyone with a device away on GET (and only on GET); here
        # the rule in dispatch decides, so a verified person can replace their app.
        return super(two_factor_views.SetupView, self).get(request, *args, **kwargs)

    def get_success_url(self):
        # The recovery codes come next; the page the user was heading for after them.
        complete = reverse(self.success_url)
        next_url = self.get_redirect_url()
        return f"{complete}?{urlencode({'next': next_url})}" if next_url else complete

    def get_context_data(self, form, **kwargs):
        return {
            **super().get_context_data(form, **kwargs),
            "next": self.get_redirect_url(),
            "replacing": user_has_device(self.request.user),
        }

    @transaction.atomic
    def done(self, form_list, **kwargs):
        user = self.request.user
        previous = list(devices_for_user(user))
        response = super().done(form_list, **kwargs)  # saves the new device, signs in with it
        if not previous:
            record(
                SignInEvent.Kind.TWO_FACTOR_SET_UP,
                request=self.request,
                user=user,
                detail="authenticator app",
            )
            return response
        # The recovery codes stay; the authenticator apps set up before give way to the new one.
        replaced = [device for device in previous if isinstance(device, TOTPDevice)]
        for device in replaced:
            device.delete()
        names = ", ".join(device.name for device in replaced) or "none (recovery codes only)"
        record(
            SignInEvent.Kind.SECOND_FACTOR_REPLACED,
            request=self.request,
            user=user,
            detail=f"authenticator app; removed: {names}",
        )
        return response


@never_cache
@login_required
@code_before_changes
def setup_complete(request):
    if not user_has_device(request.user):
        return redirect("two_factor_setup")
    next_url = safe_next(request, "")
    return render(request, "accounts/two_factor_setup_complete.html", {"next": next_url})


@method_decorator(code_before_changes, name="dispatch")
class RecoveryCodesView(two_factor_views.BackupTokensView):
    """Ten single-use codes for when the phone is lost; making new ones voids the old."""

    template_name = "accounts/two_factor_recovery_codes.html"
    success_url = "two_factor_recovery_codes"

    def form_valid(self, form):
        response = super().form_valid(form)
        record(
            SignInEvent.Kind.RECOVERY_CODES_CREATED, request=self.request, user=self.request.user
        )
        next_url = safe_next(self.request, "")
        if next_url:
            response["Location"] = f"{response['Location']}?{urlencode({'next': next_url})}"
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": safe_next(self.request, "")}


@method_decorator(code_before_changes, name="dispatch")
class QRGeneratorView(two_factor_views.QRGeneratorView):
    """The QR code of the key being set up; it shows the new secret, so it follows the rule."""
