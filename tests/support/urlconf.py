"""Every URL pattern of the site, and an address that reaches each with the shipped data set.

Shared by the authorization matrix and the fuzz tests, so both cover the same patterns.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver

AIFABRIEK = "ai-fabriek-groningen"
# The admin's URLs of one model: admin/<app>/<model>/...
ADMIN_MODEL_ROUTE = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/")


@dataclass(frozen=True)
class Route:
    pattern: str  # the route as the URLconf spells it, e.g. "programmes/<slug:slug>/"
    name: str | None  # "funding:programme", "admin:funding_source_change", ...
    callback: object
    # Served in each language (Dutch as spelled, English under /en/), or language-neutral.
    in_each_language: bool = False

    @property
    def admin_model(self):
        """The model whose admin this route belongs to, if any."""
        match = ADMIN_MODEL_ROUTE.match(self.pattern)
        if match is None:
            return None
        try:
            return apps.get_model(match["app"], match["model"])
        except LookupError:
            return None


def all_routes() -> list[Route]:
    """Every pattern in the URLconf, included ones (the admin's) walked recursively. A pattern
    under the language prefix is spelled as its Dutch address has it (no prefix)."""

    def walk(patterns, prefix="", namespace="", languages=False):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
                if isinstance(entry.pattern, LocalePrefixPattern):
                    yield from walk(entry.url_patterns, prefix, inner, True)
                else:
                    route = prefix + str(entry.pattern)
                    yield from walk(entry.url_patterns, route, inner, languages)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}{entry.name}" if entry.name else None
                yield Route(prefix + str(entry.pattern), name, entry.callback, languages)

    return list(walk(get_resolver().url_patterns))


def sample_record(model):
    record = model._default_manager.order_by("pk").first()
    if record is None:
        raise LookupError(f"no {model._meta.label} in the test data: add one to the fixture")
    return record


def sample_path(route: Route) -> str:
    """An address matching the route, naming records that exist (the data set's)."""
    path = route.pattern
    model = route.admin_model
    if model is not None:
        record = sample_record(model)
        if "history/([^/]+)" in path:
            version = record.history.order_by("history_id").first()
            path = path.replace("^([^/]+)/history/([^/]+)/$", f"{record.pk}/history/")
            path += f"{version.history_id}/"
        for placeholder in ("<path:object_id>", "<id>", "<int:pk>"):
            path = path.replace(placeholder, str(record.pk))
    programme_type = ContentType.objects.get_by_natural_key("funding", "programme")
    programme = sample_record(apps.get_model("funding", "programme"))
    replacements = {
        "<slug:slug>": AIFABRIEK,
        "<slug:code>": "en",
        # Each chart with a CSV: the portfolio's own, or a programme's progress to target.
        "<slug:chart>": "comparison" if path.startswith("dashboard/charts/") else "progress",
        "<path:content_type_id>": str(programme_type.pk),
        "<path:object_id>": str(programme.pk),
        "^(?P<app_label>auth|axes|funding|accounts)/$": "funding/",
        "(?P<url>.*)$": "no-such-page/",
    }
    for placeholder, value in replacements.items():
        path = path.replace(placeholder, value)
    if re.search(r"[<(^$]", path):
        raise ValueError(f"no sample address for {route.pattern!r}: teach sample_path its parts")
    return "/" + path


# Signing in and out writes these by design (the session, the audit, django-axes' logs).
SIGN_IN_RECORDS = {
    "django_session",
    "accounts_signinevent",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
}


def sign_in_records(user):
    """One record of each sign-in model the admin lists: devices, lockouts, the audit."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import SignInEvent

    TOTPDevice.objects.create(user=user, name="phone")
    StaticDevice.objects.create(user=user, name="backup")
    attempt = {"username": "policy", "ip_address": "192.0.2.1", "user_agent": "test"}
    AccessAttempt.objects.create(**attempt, failures_since_start=5)
    AccessFailureLog.objects.create(**attempt)
    AccessLog.objects.create(**attempt)
    SignInEvent.objects.create(kind=SignInEvent.Kind.SIGNED_IN, user=user, username="controller")


def funding_records_every_admin_needs():
    """What the shipped data set lacks for every funding admin to have a record to open: a
    payment, an expected decision, a source check's snapshot, a proposal (by someone who is none
    of the walks' visitors), and a team member (so a record of the team and of the audit). The
    one list: a test that walks every admin address calls this, so a new admin needs its record
    added here once."""
    from decimal import Decimal
    from io import StringIO

    from django.core.management import call_command

    from funding.models import Contribution
    from funding.teams import give_role
    from tests.support.factories import DecisionEstimateFactory, PaymentFactory
    from tests.support.four_eyes import sample_proposal
    from tests.support.users import make_user

    PaymentFactory(contribution=Contribution.objects.get(key="rijk"), amount=Decimal("1000.00"))
    DecisionEstimateFactory(contribution=Contribution.objects.get(key="eu-cofinanciering"))
    call_command("check_sources", stdout=StringIO())
    programme = Contribution.objects.get(key="rijk").programme
    sample_proposal(programme)
    give_role(user=make_user("member"), programme=programme, role="editor")
