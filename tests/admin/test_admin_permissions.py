"""Who may use the admin: funding admins edit everything; policy staff and others get nothing."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from funding.models import (
    Contribution,
    DateEstimate,
    Milestone,
    Organisation,
    PartnerRole,
    Payment,
    Programme,
    Source,
    StatusEvent,
)
from funding.permissions import FUNDING_ADMINS, POLICY_STAFF
from tests.support.factories import OrganisationFactory, PaymentFactory
from tests.support.users import make_user

MODELS = [
    Programme,
    Contribution,
    Milestone,
    DateEstimate,
    Organisation,
    Source,
    PartnerRole,
    Payment,
    StatusEvent,
]
VIEWS = ["changelist", "add", "change", "delete", "history"]


def admin_url(model, view, obj):
    name = f"admin:funding_{model._meta.model_name}_{view}"
    if view in ("changelist", "add"):
        return reverse(name)
    return reverse(name, args=[obj.pk])


@pytest.fixture
def one_of_each(aifabriek):
    rijk = Contribution.objects.get(key="rijk")
    PaymentFactory(contribution=rijk, amount=Decimal("1000000.00"))
    return {model: model.objects.first() for model in MODELS}


def all_admin_urls(objects):
    return [
        (model, view, admin_url(model, view, objects[model])) for model in MODELS for view in VIEWS
    ]


def test_funding_admins_open_every_admin_url_of_the_funding_models(
    client, funding_admin, one_of_each
):
    client.force_login(funding_admin)
    statuses = {
        (model._meta.model_name, view): client.get(url).status_code
        for model, view, url in all_admin_urls(one_of_each)
    }
    # Status events are recorded by status changes, never added by hand.
    expected = {key: 200 for key in statuses} | {("statusevent", "add"): 403}
    assert statuses == expected


@pytest.mark.parametrize("is_staff", [False, True], ids=["plain", "is_staff-by-mistake"])
def test_policy_staff_get_no_admin_url_at_all(client, one_of_each, is_staff):
    user = make_user("staff-member", POLICY_STAFF, is_staff=is_staff)
    client.force_login(user)
    for _model, _view, url in all_admin_urls(one_of_each):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/admin/login/"), url


def test_policy_staff_cannot_change_or_delete_by_posting(client, one_of_each):
    client.force_login(make_user("staff-member", POLICY_STAFF, is_staff=True))
    eu = Contribution.objects.get(key="eu-cofinanciering")
    change = client.post(
        admin_url(Contribution, "change", eu), {"amount": "1", "status": "withdrawn"}
    )
    delete = client.post(admin_url(Contribution, "delete", eu), {"post": "yes"})
    assert (change.status_code, delete.status_code) == (302, 302)
    eu.refresh_from_db()
    assert (eu.amount, eu.status, eu.version) == (Decimal("70000000.00"), "requested", 1)


def test_outsiders_and_visitors_are_sent_to_sign_in(client, outsider, one_of_each):
    for user in [None, outsider]:
        if user:
            client.force_login(user)
        response = client.get(reverse("admin:funding_contribution_changelist"))
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")


def test_funding_admins_can_delete(client, funding_admin, db):
    organisation = OrganisationFactory()
    client.force_login(funding_admin)
    response = client.post(admin_url(Organisation, "delete", organisation), {"post": "yes"})
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=organisation.pk).exists()


def test_funding_admins_can_add(client, funding_admin, db):
    client.force_login(funding_admin)
    response = client.post(
        admin_url(Source, "add", None),
        {
            "key": "kamerbrief",
            "title": "Kamerbrief AI-fabriek",
            "publisher": "EZ",
            "language": "nl",
        },
    )
    assert response.status_code == 302
    assert Source.objects.get(key="kamerbrief").title == "Kamerbrief AI-fabriek"


def test_a_revert_is_refused_without_the_change_permission(client, funding_admin, aifabriek):
    """simple-history would accept a revert from someone who may only view; we do not."""
    Group.objects.get(name=FUNDING_ADMINS).permissions.remove(
        Permission.objects.get(codename="change_source")
    )
    source = Source.objects.first()
    record = source.history.first()
    client.force_login(funding_admin)
    url = reverse("admin:funding_source_simple_history", args=[source.pk, record.pk])
    response = client.post(
        url, {"key": "x", "title": "Changed", "publisher": "x", "language": "nl"}
    )
    assert response.status_code == 403
    source.refresh_from_db()
    assert source.title != "Changed"


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_an_empty_to_field_is_a_bad_request_not_an_error(client, funding_admin, aifabriek, view):
    client.force_login(funding_admin)
    contribution = aifabriek.contributions.order_by("pk").first()
    url = reverse(f"admin:funding_contribution_{view}", args=[contribution.pk])
    response = client.get(url, {"_to_field": ""})
    assert response.status_code == 400
    assert client.get(url).status_code == 200
