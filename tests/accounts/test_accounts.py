"""The accounts pages: signing in and out only; no password reset by e-mail, which is not sent."""

import pytest

from tests.support.users import PASSWORD


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/set-password/",
        "/accounts/reset/done/",
        "/accounts/password_change/",
        "/accounts/password_change/done/",
    ],
)
def test_password_pages_that_need_mail_are_gone(client, db, path):
    assert client.get(path).status_code == 404


def test_signing_in_and_out_still_works(client, policy_staff):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "policy", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200
    assert client.post("/accounts/logout/")["Location"] == "/"
    assert client.get("/dashboard/").status_code == 302
