"""Sign-ins, failures and lockouts are kept for funding admins to read, and logged."""

import logging
from collections import Counter

from django.test import Client

from accounts.models import SignInEvent
from tests.support.users import PASSWORD


def test_sign_in_and_out_are_recorded_with_address_and_method(client, policy_staff, caplog):
    caplog.set_level(logging.INFO, logger="aifabriek.audit")
    client.post(
        "/accounts/login/",
        {"username": "policy", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.44",
    )
    client.post("/accounts/logout/", REMOTE_ADDR="192.0.2.44")
    signed_in, signed_out = SignInEvent.objects.order_by("pk")
    assert (signed_in.kind, signed_in.user, signed_in.address, signed_in.detail) == (
        "signed_in",
        policy_staff,
        "192.0.2.44",
        "password",
    )
    assert (signed_out.kind, signed_out.username) == ("signed_out", "policy")
    assert "signed_in user='policy' address=192.0.2.44 password" in caplog.text


def test_failures_and_the_lockout_are_recorded_with_the_name_tried(client, db):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "mallory", "password": "guess"})
    kinds = Counter(SignInEvent.objects.values_list("kind", "username", "user"))
    assert kinds == {("failed", "mallory", None): 5, ("locked_out", "mallory", None): 1}
    assert "guess" not in str(list(SignInEvent.objects.values_list("detail", flat=True)))


def test_funding_admin_reads_the_audit_but_cannot_add_change_or_delete(
    client, funding_admin, policy_staff
):
    Client().post("/accounts/login/", {"username": "policy", "password": "wrong"})
    event = SignInEvent.objects.get()
    client.force_login(funding_admin)
    listing = client.get("/admin/accounts/signinevent/")
    assert listing.status_code == 200
    assert "policy" in listing.content.decode()
    assert client.get(f"/admin/accounts/signinevent/{event.pk}/change/").status_code == 200
    assert client.get("/admin/accounts/signinevent/add/").status_code == 403
    assert client.post(f"/admin/accounts/signinevent/{event.pk}/change/", {}).status_code == 403
    assert (
        client.post(f"/admin/accounts/signinevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert SignInEvent.objects.filter(pk=event.pk).exists()


def test_policy_staff_cannot_read_the_audit(client, policy_staff):
    client.force_login(policy_staff)
    assert client.get("/admin/accounts/signinevent/").status_code == 302
