"""Where a second factor is required, no page behind the sign-in answers without it.

For every setting of ADMIN_REQUIRE_2FA and STAFF_REQUIRE_2FA and every kind of person who may
read the dashboards, with and without a device and a code, every dashboard and admin address
the URLconf has (exports and chart CSVs included) is asked for, as a session that signed in with
the password. A pattern added later is walked without being listed here.
"""

from decimal import Decimal
from itertools import product

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from funding.models import Contribution
from funding.permissions import FUNDING_ADMINS, POLICY_STAFF
from funding.spreadsheets import EXPORT_FORMATS
from funding.teams import give_role
from tests.support.factories import DecisionEstimateFactory, PaymentFactory
from tests.support.urlconf import all_routes, sample_path, sign_in_records
from tests.support.users import PASSWORD, make_user

PERSONS = ("policy staff", "funding admin", "superuser")
# "device": an authenticator app, no code given in this session; "code": one given.
SECOND_FACTORS = ("none", "device", "code")
SETTINGS = list(product([False, True], repeat=2))  # (ADMIN_REQUIRE_2FA, STAFF_REQUIRE_2FA)
# The admin's own sign-in page shows its form to anyone; it holds no record.
SIGN_IN_PAGES = {"admin/login/"}


def code_required(person: str, admin_2fa: bool, staff_2fa: bool) -> bool:
    """The policy, written out: STAFF_REQUIRE_2FA asks everyone who reads the dashboards;
    ADMIN_REQUIRE_2FA asks funding admins and superusers; either asks it for every page that is
    not public (the dashboards and the admin show the same records)."""
    return staff_2fa or (admin_2fa and person != "policy staff")


def protected_paths() -> list[str]:
    """Every dashboard and admin address, and each export of the contributions."""
    paths = [
        sample_path(route)
        for route in all_routes()
        if route.pattern.startswith(("dashboard/", "admin/")) and route.pattern not in SIGN_IN_PAGES
    ]
    exports = [
        f"{path}?export={export}"
        for path in paths
        if path.endswith("/contributions/")
        for export in EXPORT_FORMATS
    ]
    return paths + exports


def make_person(person: str) -> User:
    if person == "superuser":
        return User.objects.create_superuser("root", password=PASSWORD)
    if person == "funding admin":
        return make_user("controller", FUNDING_ADMINS, is_staff=True)
    return make_user("policy", POLICY_STAFF)


def signed_in(user: User, second_factor: str) -> Client:
    """A session that signed in with the password, and gave a code where it says so."""
    client = Client(raise_request_exception=False)
    device = None
    if second_factor != "none":
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    if second_factor == "code":
        given = client.post("/accounts/two-factor/", {"code": f"{totp(device.bin_key):06d}"})
        assert given.status_code == 302
    return client


@pytest.fixture
def records(aifabriek):
    # Every admin the URLconf has needs a record to open (as in the authorization matrix).
    PaymentFactory(contribution=Contribution.objects.get(key="rijk"), amount=Decimal("1000.00"))
    DecisionEstimateFactory(contribution=Contribution.objects.get(key="eu-cofinanciering"))
    sign_in_records(make_user("records"))
    # A team member, and so a record of the team and of the governance audit.
    give_role(user=make_user("member"), programme=aifabriek, role="editor")


def test_the_walk_covers_the_dashboards_exports_charts_and_admin(records):
    paths = protected_paths()
    assert "/dashboard/ai-fabriek-groningen/contributions/?export=xlsx" in paths
    assert "/dashboard/charts/comparison.csv" in paths
    assert "/dashboard/ai-fabriek-groningen/charts/progress.csv" in paths
    assert "/admin/funding/contribution/" in paths
    assert len(paths) > 100


@pytest.mark.parametrize("second_factor", SECOND_FACTORS)
@pytest.mark.parametrize("person", PERSONS)
@pytest.mark.parametrize(("admin_2fa", "staff_2fa"), SETTINGS)
def test_no_page_answers_without_a_code_where_one_is_required(
    records, settings, admin_2fa, staff_2fa, person, second_factor
):
    settings.ADMIN_REQUIRE_2FA = admin_2fa
    settings.STAFF_REQUIRE_2FA = staff_2fa
    user = make_person(person)
    client = signed_in(user, second_factor)
    if second_factor == "code" or not code_required(person, admin_2fa, staff_2fa):
        # Without a code to ask for, the pages open: the walk below would see them.
        assert client.get("/dashboard/").status_code == 200
        if person != "policy staff":
            assert client.get("/admin/funding/contribution/").status_code == 200
        return
    answered = []
    for path in protected_paths():
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)  # an export's file is closed at its end
        if 200 <= response.status_code < 300:
            answered.append(f"{path}: {response.status_code}")
        elif path.startswith("/dashboard/"):
            assert response.status_code == 302, path
            assert response["Location"].startswith("/accounts/two-factor/"), path
    assert not answered, f"{person} ({second_factor}) read without a code:\n" + "\n".join(answered)
