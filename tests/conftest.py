import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from funding.dataset import load_data_file
from funding.permissions import EDITABLE_MODELS, FUNDING_ADMINS, POLICY_STAFF

AIFABRIEK = "ai-fabriek-groningen"
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags for a closed network: no background requests to hosts this machine cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "a-test-password-of-some-length"


@pytest.fixture
def aifabriek(db):
    """The shipped AI-fabriek Groningen data set, loaded as `load_aifabriek` loads it."""
    load_data_file()
    from funding.models import Programme

    return Programme.objects.get(slug=AIFABRIEK)


def make_user(username, group_name=None, **extra):
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def policy_staff(db):
    return make_user("policy", POLICY_STAFF)


@pytest.fixture
def funding_admin(db):
    return make_user("controller", FUNDING_ADMINS, is_staff=True)


@pytest.fixture
def staff_client(client, policy_staff):
    """The test client, signed in as a member of "Policy staff"."""
    client.force_login(policy_staff)
    return client


# Names of records that are not public; no public page, feed or open data may mention them.
HIDDEN_NAMES = ("Hidden Fund", "Confidential step", "Secret memo")


@pytest.fixture
def hidden_records(aifabriek):
    """A non-public contribution and a non-public milestone (with an estimate) in the data set."""
    from decimal import Decimal

    from tests.factories import (
        ContributionFactory,
        DateEstimateFactory,
        MilestoneFactory,
        OrganisationFactory,
        SourceFactory,
    )

    funder, step, memo = HIDDEN_NAMES
    ContributionFactory(
        programme=aifabriek,
        funder=OrganisationFactory(name=funder),
        amount=Decimal("5000000.00"),
        is_public=False,
    )
    hidden = MilestoneFactory(programme=aifabriek, title=step, is_public=False)
    DateEstimateFactory(milestone=hidden, source=SourceFactory(title=memo))
    return HIDDEN_NAMES


@pytest.fixture
def outsider(db):
    """Signed in, but in neither group."""
    return make_user("outsider")


# Browser tests: Debian's chromium driven by Playwright against the live test server.


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls in these tests are
    # still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def restore_groups():
    """Make the two groups again, as the data migration does.

    A transactional test's flush empties every table, the groups that migration 0002 made
    included; permissions come back with the flush's post-migrate signal, groups do not.
    """
    from django.contrib.auth.models import Permission

    funding = Permission.objects.filter(
        content_type__app_label="funding", content_type__model__in=EDITABLE_MODELS
    )
    staff, _ = Group.objects.get_or_create(name=POLICY_STAFF)
    staff.permissions.set(funding.filter(codename__startswith="view_"))
    admins, _ = Group.objects.get_or_create(name=FUNDING_ADMINS)
    admins.permissions.set(funding)


@pytest.fixture
def live_aifabriek(transactional_db, live_server):
    """The data set and the groups in a database that the live server's thread can see."""
    restore_groups()
    load_data_file()
    return live_server


@pytest.fixture
def browser_page(chromium):
    """A factory of pages at a viewport and language; each page records its console errors."""
    contexts = []

    def open_page(width=1280, height=800, locale="en-GB"):
        context = chromium.new_context(viewport={"width": width, "height": height}, locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console",
            lambda message: message.type == "error" and page.console_errors.append(message.text),
        )
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core on the page and return its violations of the given impacts."""
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def sign_in(page, base_url, username, password=PASSWORD):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    # The form in main, not the language buttons in the header (also submit buttons).
    with page.expect_navigation():
        page.click("main button[type=submit]")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts without cached public pages: the memory cache outlives a test's data."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests sign in many times; the production hasher is slow on purpose, this one is not."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Single sign-on tests: a real OpenID Connect provider on loopback (tests/oidc_provider.py).


@pytest.fixture(scope="session")
def oidc_provider():
    import oidc_provider_mock

    from tests.oidc_provider import ISSUER, PROVIDER_PORT

    with oidc_provider_mock.run_server_in_thread(port=PROVIDER_PORT):
        yield ISSUER


@pytest.fixture
def sso(oidc_provider, settings):
    """Single sign-on configured against the provider, as the environment would."""
    from accounts import oidc
    from tests.oidc_provider import ADMIN_VALUE, POLICY_VALUE

    settings.OIDC_ISSUER = oidc_provider
    settings.OIDC_CLIENT_ID = "funding-tracker"
    settings.OIDC_CLIENT_SECRET = "a-client-secret"
    settings.OIDC_GROUPS_CLAIM = "groups"
    settings.OIDC_POLICY_STAFF_VALUES = [POLICY_VALUE]
    settings.OIDC_FUNDING_ADMIN_VALUES = [ADMIN_VALUE]
    oidc._discovered.clear()
    yield oidc_provider
    oidc._discovered.clear()


@pytest.fixture
def demo_portfolio(db):
    """Generates the demo portfolio at a size: `demo_portfolio(SMALL.times(3))`."""
    from tests.portfolio import generate_portfolio

    return generate_portfolio
