"""Who may see the dashboards: policy staff and funding admins; others are sent away."""

import pytest

from tests.support.pages import address_in

pytestmark = pytest.mark.django_db

PAGES = [
    "/dashboard/",
    "/dashboard/ai-fabriek-groningen/",
    "/dashboard/ai-fabriek-groningen/contributions/",
    "/dashboard/ai-fabriek-groningen/contributions/?export=csv",
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_sign_in(client, aifabriek, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/dashboard/")


@pytest.mark.parametrize("url", PAGES)
def test_policy_staff_see_the_page(client, aifabriek, policy_staff, url):
    client.force_login(policy_staff)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_funding_admins_see_the_page(client, aifabriek, funding_admin, url):
    client.force_login(funding_admin)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_signed_in_user_in_neither_group_gets_a_friendly_403(client, aifabriek, outsider, url):
    client.force_login(outsider)
    response = client.get(address_in(url, "en"))
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()


def test_unknown_programme_is_404_for_staff(client, policy_staff):
    client.force_login(policy_staff)
    assert client.get("/dashboard/no-such-programme/").status_code == 404
    assert client.get("/dashboard/no-such-programme/contributions/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/admin/funding/contribution/add/",
        "/admin/funding/programme/add/",
        "/admin/funding/milestone/add/",
        "/admin/funding/payment/add/",
    ],
)
def test_policy_staff_cannot_reach_an_add_page(client, aifabriek, policy_staff, url):
    client.force_login(policy_staff)
    response = client.get(url)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")


def test_policy_staff_cannot_reach_a_change_page(client, aifabriek, policy_staff):
    client.force_login(policy_staff)
    contribution = aifabriek.contributions.first()
    for url in (
        f"/admin/funding/contribution/{contribution.pk}/change/",
        f"/admin/funding/programme/{aifabriek.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_site_nav_offers_the_dashboard_to_staff_only(client, aifabriek, policy_staff, outsider):
    link = '<a class="utrecht-link" href="/dashboard/"'
    assert link not in client.get("/").content.decode()
    client.force_login(outsider)
    assert link not in client.get("/").content.decode()
    client.force_login(policy_staff)
    assert link in client.get("/").content.decode()


def test_admin_link_is_for_funding_admins_only(client, aifabriek, policy_staff, funding_admin):
    # The dashboard's body is cached for all staff; the navigation with the link is not.
    change = f"/admin/funding/programme/{aifabriek.pk}/change/"
    client.force_login(policy_staff)
    assert change not in client.get("/dashboard/ai-fabriek-groningen/").content.decode()
    client.force_login(funding_admin)
    assert change in client.get("/dashboard/ai-fabriek-groningen/").content.decode()
    client.force_login(policy_staff)
    assert change not in client.get("/dashboard/ai-fabriek-groningen/").content.decode()


def test_sign_out_is_a_post_and_lands_on_the_home_page(client, policy_staff):
    client.force_login(policy_staff)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/dashboard/").status_code == 302


def test_signing_in_returns_to_the_dashboard_asked_for(client, aifabriek, policy_staff):
    from tests.support.users import PASSWORD

    response = client.post(
        "/accounts/login/?next=/dashboard/ai-fabriek-groningen/",
        {"username": "policy", "password": PASSWORD, "next": "/dashboard/ai-fabriek-groningen/"},
    )
    assert response["Location"] == "/dashboard/ai-fabriek-groningen/"
