"""A Host header outside ALLOWED_HOSTS gets a 400 at every address, never a 500, DEBUG on or off.

Scanners and misdirected clients send such requests all day: the answer must be a calm 400, and
the error pages must render without asking the request for its host.
"""

import logging
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings

from funding.models import Contribution
from funding.permissions import FUNDING_ADMINS
from funding.teams import give_role
from tests.support.factories import DecisionEstimateFactory, PaymentFactory
from tests.support.urlconf import all_routes, sample_path, sign_in_records
from tests.support.users import make_user

pytestmark = pytest.mark.django_db

FOREIGN_HOST = "evil.example"
# Every page the site shows when it refuses or fails a request.
ERROR_TEMPLATES = [
    "400.html",
    "403.html",
    "403_csrf.html",
    "404.html",
    "500.html",
    "503.html",
    "accounts/locked_out.html",
]


@pytest.fixture
def every_address(aifabriek):
    """One address per URL pattern, naming records that exist (every admin needs one)."""
    PaymentFactory(contribution=Contribution.objects.get(key="rijk"), amount=Decimal("1000.00"))
    DecisionEstimateFactory(contribution=Contribution.objects.get(key="eu-cofinanciering"))
    sign_in_records(make_user("controller", FUNDING_ADMINS, is_staff=True))
    # A team member, and so a record of the team and of the governance audit.
    give_role(user=make_user("member"), programme=aifabriek, role="editor")
    return sorted({sample_path(route) for route in all_routes()})


def errors_logged(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "django.request" and record.levelno >= logging.ERROR
    ]


@pytest.mark.parametrize(
    "overrides",
    [
        {"DEBUG": False},
        {"DEBUG": True},
        # As in production: the HTTPS redirect asks for the host before anything else does.
        {"DEBUG": False, "SECURE_SSL_REDIRECT": True},
    ],
    ids=["debug-off", "debug-on", "https-redirect"],
)
def test_every_address_answers_a_foreign_host_with_400(every_address, overrides, caplog):
    client = Client(raise_request_exception=False)
    with override_settings(**overrides), caplog.at_level(logging.ERROR, logger="django.request"):
        answers = {
            address: client.get(address, headers={"host": FOREIGN_HOST}).status_code
            for address in every_address
        }
    assert len(answers) > 100  # the admin's addresses included
    assert {address: status for address, status in answers.items() if status != 400} == {}
    assert errors_logged(caplog) == []


def test_the_bad_request_page_says_so_in_the_visitors_language(client, db):
    response = client.get("/healthz", headers={"host": FOREIGN_HOST, "accept-language": "en"})
    html = response.content.decode()
    assert response.status_code == 400
    assert '<h1 class="utrecht-heading-1">Bad request</h1>' in html
    assert FOREIGN_HOST not in html


@pytest.mark.parametrize("template", ERROR_TEMPLATES)
def test_error_pages_render_for_a_request_whose_host_is_refused(template, db):
    """With the request in the context (its processors run) and a host Django refuses."""
    request = RequestFactory().get("/nope/", headers={"host": FOREIGN_HOST})
    request.user = AnonymousUser()
    request.session = {}
    html = render_to_string(template, {"lockout_minutes": 5}, request=request)
    assert 'href="/toegankelijkheid/"' in html
    assert FOREIGN_HOST not in html


def test_a_refused_host_leaves_no_error_in_the_log(client, db, caplog):
    # The access line counts these requests; a traceback at ERROR for each scanner's request
    # would bury the errors that need a person.
    with caplog.at_level(logging.DEBUG):
        response = client.get("/", headers={"host": FOREIGN_HOST})
    assert response.status_code == 400
    assert [r.name for r in caplog.records if r.levelno >= logging.ERROR] == []
