"""Every URL pattern, anonymous and signed in: each answer is either public (only the public
families, only anonymous, no cookie set) or `private, no-store`; none goes without a decision."""

import pytest
from django.test import Client

from funding.cache_headers import is_public_address
from funding.permissions import FUNDING_ADMINS, POLICY_STAFF
from tests.support.cache_headers import PRIVATE, SHARED
from tests.support.urlconf import (
    all_routes,
    funding_records_every_admin_needs,
    sample_path,
    sign_in_records,
)
from tests.support.users import make_user


@pytest.fixture
def visitors(aifabriek):
    # Every admin page needs a record to open: a payment and an expected decision are not in
    # the data set, nor are the sign-in records.
    funding_records_every_admin_needs()
    admin = make_user("controller", FUNDING_ADMINS, is_staff=True)
    sign_in_records(admin)
    users = {"policy staff": make_user("policy", POLICY_STAFF), "admin": admin}
    clients = {role: (Client(raise_request_exception=False), user) for role, user in users.items()}
    for client, user in clients.values():
        client.force_login(user)
    return clients


def answers(path: str, visitors: dict):
    """(role, method, response, signed in) for a first anonymous visit (GET and HEAD: what one
    address sets, such as a language cookie, must not follow to the next) and each signed-in
    visitor's GET."""
    yield "anonymous", "GET", Client(raise_request_exception=False).get(path), False
    yield "anonymous", "HEAD", Client(raise_request_exception=False).head(path), False
    for role, (client, user) in visitors.items():
        yield role, "GET", client.get(path), True
        if "logout" in path:
            client.force_login(user)  # signed out by that address: sign in again


def test_every_answer_has_a_caching_decision_and_only_anonymous_public_ones_are_shared(visitors):
    problems, shared = [], set()
    for route in all_routes():
        path = sample_path(route)
        for role, method, response, signed_in in answers(path, visitors):
            header = response.get("Cache-Control")
            where = f"{method} {path} as {role} ({response.status_code})"
            if header not in (SHARED, PRIVATE):
                problems.append(f"{where}: Cache-Control {header!r}")
            elif header == SHARED:
                shared.add(route.pattern)
                if signed_in or not is_public_address(path) or response.cookies:
                    problems.append(f"{where}: public, but it may not be")
                if "cookie" in response.get("Vary", "").lower():
                    problems.append(f"{where}: public, yet it varies by Cookie")
    assert problems == []
    # The public families are answered publicly (a guard against a rule that shares nothing).
    assert {
        "",
        "programmes/<slug:slug>/",
        "programmes/<slug:slug>/feed/",
        "programmes/<slug:slug>/badge.svg",
        "api/programmes/<slug:slug>/",
    } <= shared
