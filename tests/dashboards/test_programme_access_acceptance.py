"""The issue's acceptance: `programme_access USER SLUG viewer` lets a user in no group see that
programme's dashboard and no other, and not the admin."""

from django.core.management import call_command

from tests.support.factories import ProgrammeFactory
from tests.support.users import make_user

SLUG = "ai-fabriek-groningen"


def test_a_viewer_given_by_the_command_sees_that_dashboard_only_and_not_the_admin(
    client, aifabriek
):
    other = ProgrammeFactory(slug="elders", name="Elders programme")
    viewer = make_user("vera")
    client.force_login(viewer)
    assert client.get(f"/dashboard/{SLUG}/").status_code == 403  # in no group, on no team

    call_command("programme_access", "vera", SLUG, "viewer", stdout=None)

    assert client.get(f"/dashboard/{SLUG}/").status_code == 200
    assert client.get(f"/dashboard/{SLUG}/contributions/").status_code == 200
    assert client.get(f"/dashboard/{other.slug}/").status_code == 404
    assert client.get(f"/dashboard/{other.slug}/contributions/").status_code == 404
    portfolio = client.get("/dashboard/").content.decode()
    assert aifabriek.name in portfolio
    assert f"/dashboard/{SLUG}/" in portfolio
    assert other.name not in portfolio
    assert f"/dashboard/{other.slug}/" not in portfolio
    admin = client.get("/admin/")
    assert (admin.status_code, admin["Location"]) == (302, "/admin/login/?next=/admin/")
