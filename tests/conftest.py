import os

import pytest

from funding.permissions import FUNDING_ADMINS, POLICY_STAFF
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.dataset import (
    AIFABRIEK,
    HIDDEN_NAMES,
    SharedDataSet,
    load_for_tests,
    reads_shared_data,
    run_order,
)
from tests.support.users import make_user, restore_groups

SHARED_DATA_SET = SharedDataSet()


def pytest_collection_modifyitems(items):
    """Run the tests that read the data set one after another, so that it is loaded once.

    pytest-django runs the tests in rollback transactions first; among those, the tests that
    read the data set go last, in their files' order.
    """
    items.sort(key=lambda item: (run_order(item), run_order(item) == 0 and reads_shared_data(item)))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    # Before the test's fixtures, so that its own transaction opens inside the data set's.
    SHARED_DATA_SET.wanted = reads_shared_data(item)
    SHARED_DATA_SET.settle()
    return (yield)


@pytest.fixture(scope="session")
def shared_data_set(django_db_setup, django_db_blocker):
    """The data set for the whole session, loaded into the test database when first read."""
    SHARED_DATA_SET.blocker = django_db_blocker
    SHARED_DATA_SET.settle()
    yield SHARED_DATA_SET
    SHARED_DATA_SET.drop()


@pytest.fixture
def aifabriek(request, shared_data_set, db):
    """The shipped AI-fabriek Groningen data set, loaded as `load_aifabriek` loads it."""
    from funding.models import Programme

    if not shared_data_set.loaded:
        if reads_shared_data(request.node):
            raise RuntimeError("the shared data set was dropped before a test that reads it")
        load_for_tests()  # a transactional test: its own copy, emptied with the tables
    return Programme.objects.get(slug=AIFABRIEK)


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


@pytest.fixture
def hidden_records(aifabriek):
    """A non-public contribution and a non-public milestone (with an estimate) in the data set."""
    from decimal import Decimal

    from tests.support.factories import (
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


@pytest.fixture
def live_aifabriek(transactional_db, live_server):
    """The data set and the groups in a database that the live server's thread can see."""
    restore_groups()
    load_for_tests()
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


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts without cached public pages: the memory cache outlives a test's data."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def signed_in_from_the_cache(settings):
    """Sessions and signed-in users read through the cache, as production with Redis reads them.

    The tests run in one process, so its memory cache is as shared as Redis is between the app's
    processes: what one client changes, the next request of another sees.
    """
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.SIGNED_IN_CACHE_SECONDS = 300


@pytest.fixture(autouse=True)
def dutch_outside_requests():
    """Each test starts in Dutch. A request activates the language of its address in the thread
    and leaves it there (a streamed answer is still being written in it), so without this a
    test's `reverse()` would give the addresses of whichever language the previous test asked."""
    from django.utils import translation

    translation.activate("nl")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests sign in many times; the production hasher is slow on purpose, this one is not."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Single sign-on tests: a real OpenID Connect provider on loopback (tests/support/oidc_provider.py).


@pytest.fixture(scope="session")
def oidc_provider():
    import oidc_provider_mock

    from tests.support.oidc_provider import ISSUER, PROVIDER_PORT

    with oidc_provider_mock.run_server_in_thread(port=PROVIDER_PORT):
        yield ISSUER


@pytest.fixture
def sso(oidc_provider, settings):
    """Single sign-on configured against the provider, as the environment would."""
    from accounts import oidc
    from tests.support.oidc_provider import ADMIN_VALUE, POLICY_VALUE

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
    from tests.support.portfolio import generate_portfolio

    return generate_portfolio


# The source check: a web server on loopback playing the cited sites
# (tests/support/source_server.py).


@pytest.fixture
def source_site(settings):
    """The loopback server, which the source check may reach: 127.0.0.1 is allowed (no other
    private address), with no pause between requests and a short time limit."""
    from tests.support.source_server import SourceSite

    settings.SOURCE_CHECK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.SOURCE_CHECK_ALLOW_PRIVATE = False
    settings.SOURCE_CHECK_PAUSE = 0
    settings.SOURCE_CHECK_TIMEOUT = 1
    site = SourceSite().start()
    yield site
    site.stop()


@pytest.fixture
def connections(monkeypatch):
    """Every address a socket connects to during the test (the connections still go ahead)."""
    import socket

    seen = []
    connect = socket.socket.connect

    def recorded(sock, address):
        seen.append(address[0])
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", recorded)
    return seen
