"""Every URL pattern of the site, for every kind of visitor, with GET and POST, against a table.

A page is asked for at both its addresses, Dutch (as the table spells it) and English (/en/…),
and must answer the same in both; a sign-in it asks for is in its own language. A
language-neutral pattern (the open data, the admin) has no English address.

The table says what each role gets at each pattern. A pattern without a row fails the test with
the row to add (the answers it gave, to check before pasting); a row without a pattern fails too.
POSTs carry an empty body: what matters is the access decision, and a refused POST, or any POST
by a role that may not write, must leave every table as it was.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from funding.models import TeamRole
from funding.permissions import FUNDING_ADMINS, POLICY_STAFF
from tests.support.factories import (
    MilestoneFactory,
    ProgrammeFactory,
)
from tests.support.urlconf import (
    SIGN_IN_RECORDS,
    all_routes,
    funding_records_every_admin_needs,
    sample_path,
    sign_in_records,
)
from tests.support.users import make_member, make_user

# The sampled addresses are all of the shipped programme's records. "viewer" and "editor" are on
# its team; "viewer elsewhere" and "editor elsewhere" only on another programme's (member of A,
# not of B): they must get nothing of it, and the same answer as for an unknown record.
ROLES = (
    "anonymous",
    "no group",
    "policy staff",
    "funding admin",
    "superuser",
    "viewer",
    "editor",
    "viewer elsewhere",
    "editor elsewhere",
)
# Roles that write nothing at these addresses; their POSTs are checked for changes wherever they go.
READ_ONLY_ROLES = {
    "anonymous",
    "no group",
    "policy staff",
    "viewer",
    "viewer elsewhere",
    "editor elsewhere",
}
# What an answer may be: a status code, or a redirect to one of the sign-in pages.
REFUSALS = {"login", "admin-login", "403", "404", "405"}


@dataclass(frozen=True)
class Access:
    """The answers to GET and to POST, one per role in ROLES order, e.g. "login 403 200 ...".

    `login` is a redirect to /accounts/login/, `admin-login` to /admin/login/, `302` any other
    redirect; otherwise the status code.
    """

    get: str
    post: str

    def expected(self, method: str) -> tuple[str, ...]:
        answers = tuple(getattr(self, method).split())
        assert len(answers) == len(ROLES), f"{self} needs one answer per role: {ROLES}"
        return answers


def same(answers: str) -> Access:
    return Access(get=answers, post=answers)


def admin_answers(groups: str, *, editor: str, elsewhere: str) -> str:
    """The admin's answers: anonymous, no group and policy staff are sent to its sign-in page,
    `groups` for the funding admin and the superuser, viewers too, then the two editors."""
    login = "admin-login"
    return f"{login} {login} {login} {groups} {login} {editor} {login} {elsewhere}"


PUBLIC = Access(get=" ".join(["200"] * 9), post=" ".join(["405"] * 9))
PORTFOLIO = Access(
    get="login 403 200 200 200 200 200 200 200", post="login 403 405 405 405 405 405 405 405"
)
# A programme's dashboards: another programme's team gets 404, as for an unknown slug.
DASHBOARD = Access(
    get="login 403 200 200 200 200 200 404 404", post="login 403 405 405 405 405 405 405 405"
)
SIGN_IN = same(" ".join(["200"] * 9))
# The admin: funding admins and superusers, and editors (of any programme); viewers are sent to
# its sign-in page as the others are.
ADMIN = same(admin_answers("200 200", editor="200", elsewhere="200"))
ADMIN_REDIRECT = same(admin_answers("302 302", editor="302", elsewhere="302"))
ADMIN_READ = Access(
    get=admin_answers("200 200", editor="200", elsewhere="200"),
    post=admin_answers("405 405", editor="405", elsewhere="405"),
)
# Users and groups are the superuser's: funding admins and editors have no rights on them.
SUPERUSER_ONLY = same(admin_answers("403 200", editor="403", elsewhere="403"))
# One record of the shipped programme: its editor works on it, another programme's gets 404.
RECORD = same(admin_answers("200 200", editor="200", elsewhere="404"))
# Teams and the governance audit are the funding admins'.
FUNDING_ADMINS_ONLY = same(admin_answers("200 200", editor="403", elsewhere="403"))


# The admin's URL patterns of one model, by the name of the view.
ADMIN_VIEWS = {
    "changelist": "",
    "add": "add/",
    "history": "<path:object_id>/history/",
    "delete": "<path:object_id>/delete/",
    "change": "<path:object_id>/change/",
    "object": "<path:object_id>/",  # redirects to the change page
    # simple-history's page of one version, where an editor reverts to it.
    "revert": "^([^/]+)/history/([^/]+)/$",
    "import": "import/",
    "process_import": "process_import/",
}


def admin_model(path: str, *, reverts: bool = True, **views: Access) -> dict[str, Access]:
    """The rows of one programme record's admin pages; `views` adds or overrides one."""
    rows = {"changelist": ADMIN, "add": ADMIN} | dict.fromkeys(
        ["history", "delete", "change"], RECORD
    )
    rows["object"] = ADMIN_REDIRECT
    if reverts:
        rows["revert"] = RECORD
    rows |= views
    return {f"admin/{path}/{ADMIN_VIEWS.get(view, view)}": access for view, access in rows.items()}


# Organisations and sources serve every programme: editors see them and add one; changing or
# deleting one is the funding admins' (a read-only page for editors, their POST refused).
SHARED_READ_ONLY = Access(
    get=admin_answers("200 200", editor="200", elsewhere="200"),
    post=admin_answers("200 200", editor="403", elsewhere="403"),
)


def shared_model(path: str) -> dict[str, Access]:
    return admin_model(
        path,
        history=ADMIN,
        change=SHARED_READ_ONLY,
        revert=SHARED_READ_ONLY,
        delete=same(admin_answers("200 200", editor="403", elsewhere="403")),
    )


# Records that only their code writes: the admin shows them but offers no add form.
NOBODY = same(admin_answers("403 403", editor="403", elsewhere="403"))


def sign_in_log(path: str, **views: Access) -> dict[str, Access]:
    """A read-only record of signing in: funding admins read it, the superuser prunes it."""
    rows = dict.fromkeys(["changelist", "history"], FUNDING_ADMINS_ONLY) | {
        "add": NOBODY,
        "delete": SUPERUSER_ONLY,
        "change": Access(
            get=FUNDING_ADMINS_ONLY.get,
            post=admin_answers("403 302", editor="403", elsewhere="403"),
        ),
    }
    return admin_model(path, reverts=False, **(rows | views))


def auth_model(path: str, **views: Access) -> dict[str, Access]:
    rows = dict.fromkeys(["changelist", "add", "history", "delete", "change"], SUPERUSER_ONLY)
    return admin_model(path, reverts=False, **rows, **views)


MATRIX: dict[str, Access] = {
    # Public pages and open data.
    "": PUBLIC,
    "programmes/<slug:slug>/": PUBLIC,
    "programmes/<slug:slug>/feed/": PUBLIC,
    "programmes/<slug:slug>/changes/": PUBLIC,
    "programmes/<slug:slug>/badge.svg": PUBLIC,
    "programmes/<slug:slug>/embed/": PUBLIC,
    "programmes/<slug:slug>/charts/<slug:chart>.csv": PUBLIC,
    "toegankelijkheid/": PUBLIC,
    "api/programmes/": PUBLIC,
    "api/programmes/<slug:slug>/": PUBLIC,
    "api/programmes/<slug:slug>/contributions/": PUBLIC,
    "api/programmes/<slug:slug>/contributions.csv": PUBLIC,
    "api/programmes/<slug:slug>/oc4ids.json": PUBLIC,
    "api/oc4ids.json": PUBLIC,
    "api/openapi.json": PUBLIC,
    "api/datapackage.json": PUBLIC,
    "api/schemas/contributions.json": PUBLIC,
    "healthz": PUBLIC,
    # Loopback may read the metrics (METRICS_ALLOWED_IPS); tests/ops/test_observability.py covers
    # the addresses and the token that may not.
    "metrics": PUBLIC,
    # Staff dashboards: the portfolio lists each person's own programmes.
    "dashboard/": PORTFOLIO,
    "dashboard/<slug:slug>/": DASHBOARD,
    "dashboard/<slug:slug>/contributions/": DASHBOARD,
    "dashboard/charts/<slug:chart>.csv": PORTFOLIO,
    "dashboard/<slug:slug>/charts/<slug:chart>.csv": DASHBOARD,
    # Signing in and out, and Django's own language view (a POST that sets a cookie, goes back).
    "accounts/login/": SIGN_IN,
    "accounts/logout/": Access(get=" ".join(["200"] * 9), post=" ".join(["302"] * 9)),
    "i18n/setlang/": same(" ".join(["302"] * 9)),
    # The old language links: a GET sent on, permanently, to the page's address in that language.
    "language/<slug:code>/": Access(get=" ".join(["301"] * 9), post=" ".join(["405"] * 9)),
    # Single sign-on is off unless configured (tests/accounts/test_signin_sso.py turns it on).
    "accounts/oidc/authenticate/": Access(get=" ".join(["404"] * 9), post=" ".join(["405"] * 9)),
    "accounts/oidc/callback/": Access(get=" ".join(["404"] * 9), post=" ".join(["405"] * 9)),
    # Two-factor: the funding admin of the fixture has a device, so is asked for a code; the others
    # have nothing to verify and are sent on. Set-up is for anyone signed in; an empty POST is not
    # a step of its wizard (400). The QR code exists only during a set-up. Every page that changes
    # a second factor sends someone with a device who has given no code to give it first (302).
    "accounts/two-factor/": same("login 302 302 200 302 302 302 302 302"),
    "accounts/two-factor/setup/": Access(
        get="login 200 200 302 200 200 200 200 200", post="login 400 400 302 400 400 400 400 400"
    ),
    "accounts/two-factor/setup/qr/": Access(
        get="login 404 404 302 404 404 404 404 404", post="login 405 405 302 405 405 405 405 405"
    ),
    "accounts/two-factor/setup/complete/": same(" ".join(["login"] + ["302"] * 8)),
    # Recovery codes are shown only to a session that has given its second factor.
    "accounts/two-factor/recovery-codes/": same(
        "login login login 302 login login login login login"
    ),
    # The admin's own pages.
    "admin/": ADMIN,
    "admin/login/": Access(get="200 200 200 302 302 200 302 200 302", post=" ".join(["200"] * 9)),
    "admin/logout/": Access(get="302 302 302 405 405 302 405 302 405", post=" ".join(["302"] * 9)),
    "admin/password_change/": ADMIN,
    "admin/password_change/done/": ADMIN_READ,
    # Without app_label, model_name and field_name the autocomplete refuses (403).
    "admin/autocomplete/": Access(
        get=admin_answers("403 403", editor="403", elsewhere="403"),
        post=admin_answers("405 405", editor="405", elsewhere="405"),
    ),
    "admin/jsi18n/": ADMIN_READ,
    # "View on site" of the shipped programme: the redirect names its slug.
    "admin/r/<path:content_type_id>/<path:object_id>/": same(
        admin_answers("302 302", editor="302", elsewhere="404")
    ),
    "admin/^(?P<app_label>auth|axes|funding|accounts)/$": ADMIN,
    "admin/(?P<url>.*)$": same(admin_answers("404 404", editor="404", elsewhere="404")),
    # The funding models. Adding or deleting a programme is the funding admins'.
    **admin_model(
        "funding/programme",
        add=same(admin_answers("200 200", editor="403", elsewhere="403")),
        delete=same(admin_answers("200 200", editor="403", elsewhere="403")),
    ),
    # The four-eyes switch: a POST only, by whoever approves on the programme; one without a
    # reason changes nothing (a message).
    "admin/funding/programme/<path:object_id>/four-eyes/": Access(
        get=admin_answers("405 405", editor="405", elsewhere="405"),
        post=admin_answers("302 302", editor="403", elsewhere="403"),
    ),
    # Proposals (the four-eyes rule): read in the admin by whoever edits the programme, never
    # added, changed or deleted there; decided by a POST of a known decision by another approver
    # (an empty one is refused); another programme's team gets 404, as for an unknown one.
    "admin/funding/proposal/": same(admin_answers("200 200", editor="200", elsewhere="200")),
    "admin/funding/proposal/add/": same(admin_answers("403 403", editor="403", elsewhere="403")),
    "admin/funding/proposal/<path:object_id>/": ADMIN_REDIRECT,
    "admin/funding/proposal/<path:object_id>/change/": Access(
        get=admin_answers("200 200", editor="200", elsewhere="404"),
        post=admin_answers("403 403", editor="403", elsewhere="403"),
    ),
    "admin/funding/proposal/<path:object_id>/history/": RECORD,
    "admin/funding/proposal/<path:object_id>/delete/": same(
        admin_answers("403 403", editor="403", elsewhere="403")
    ),
    "admin/funding/proposal/<path:object_id>/decide/": Access(
        get=admin_answers("405 405", editor="405", elsewhere="405"),
        post=admin_answers("403 403", editor="403", elsewhere="404"),
    ),
    **admin_model("funding/milestone"),
    **admin_model("funding/dateestimate"),
    **admin_model("funding/decisionestimate"),
    **shared_model("funding/organisation"),
    **shared_model("funding/source"),
    **admin_model("funding/partnerrole"),
    **admin_model("funding/payment"),
    # What the source check found: funding admins read it, nobody writes it through the admin;
    # editors of any programme are refused it (403).
    **{
        f"admin/funding/sourcesnapshot/{ADMIN_VIEWS[view]}": access
        for view, access in {
            "changelist": FUNDING_ADMINS_ONLY,
            "add": NOBODY,
            "history": FUNDING_ADMINS_ONLY,
            "delete": NOBODY,
            "change": Access(
                get=FUNDING_ADMINS_ONLY.get,
                post=admin_answers("403 403", editor="403", elsewhere="403"),
            ),
            "object": ADMIN_REDIRECT,
        }.items()
    },
    **admin_model(
        "funding/contribution",
        **{
            "import": ADMIN,
            # The second step of an import: only its form's POST is expected.
            "process_import": Access(
                get=admin_answers("405 405", editor="405", elsewhere="405"),
                post=admin_answers("200 200", editor="200", elsewhere="200"),
            ),
        },
    ),
    # Status events are recorded by status changes, never added by hand; every field of the
    # change form may be empty, so an empty POST saves (funding admins and editors may edit them).
    **admin_model(
        "funding/statusevent",
        reverts=False,
        add=NOBODY,
        change=Access(
            get=RECORD.get,
            post=admin_answers("302 302", editor="302", elsewhere="404"),
        ),
    ),
    # Programme teams and the governance audit: the funding admins'; nobody changes the audit.
    **admin_model(
        "funding/programmemembership",
        reverts=False,
        **dict.fromkeys(["changelist", "add", "history", "delete", "change"], FUNDING_ADMINS_ONLY),
    ),
    **admin_model(
        "funding/auditevent",
        reverts=False,
        **dict.fromkeys(["changelist", "history"], FUNDING_ADMINS_ONLY),
        add=NOBODY,
        delete=NOBODY,
        change=Access(
            get=FUNDING_ADMINS_ONLY.get,
            post=admin_answers("403 403", editor="403", elsewhere="403"),
        ),
    ),
    "admin/funding/auditevent/export.csv": FUNDING_ADMINS_ONLY,
    # Users and groups.
    **auth_model("auth/user", **{"<id>/password/": SUPERUSER_ONLY}),
    **auth_model("auth/group"),
    # Sign-in records: funding admins read them; lifting a lockout (deleting the attempt) is
    # theirs too, the logs are the superuser's to prune, the audit nobody's to change.
    **sign_in_log("axes/accesslog"),
    **sign_in_log("axes/accessfailurelog"),
    **sign_in_log("axes/accessattempt", delete=FUNDING_ADMINS_ONLY),
    **sign_in_log(
        "accounts/signinevent",
        delete=NOBODY,
        change=Access(
            get=FUNDING_ADMINS_ONLY.get,
            post=admin_answers("403 403", editor="403", elsewhere="403"),
        ),
    ),
}


def answer(response, prefix: str = "") -> str:
    """`prefix`: the language prefix of the address asked ("/en"); its sign-in has it too."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(f"{prefix}/accounts/login/"):
            return "login"
        if location.startswith("/admin/login/"):
            return "admin-login"
    return str(response.status_code)


def row_counts() -> tuple[int, ...]:
    """The number of rows in every table but the records of signing in, in one query."""
    tables = sorted(t for t in connection.introspection.table_names() if t not in SIGN_IN_RECORDS)
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


@pytest.fixture
def role_clients(aifabriek):
    # Every admin the URLconf has needs a record to open.
    funding_records_every_admin_needs()
    # Another programme, with a record of each kind its team could reach.
    elsewhere = ProgrammeFactory(slug="elsewhere", name="Elders")
    MilestoneFactory(programme=elsewhere)
    users = {
        "anonymous": None,
        "no group": make_user("outsider"),
        "policy staff": make_user("policy", POLICY_STAFF),
        "funding admin": make_user("controller", FUNDING_ADMINS, is_staff=True),
        "superuser": User.objects.create_superuser("root", password="a-root-password-of-length"),
        "viewer": make_member("viewer", aifabriek, TeamRole.VIEWER),
        "editor": make_member("editor", aifabriek, TeamRole.EDITOR),
        "viewer elsewhere": make_member("viewer-b", elsewhere, TeamRole.VIEWER),
        "editor elsewhere": make_member("editor-b", elsewhere, TeamRole.EDITOR),
    }
    sign_in_records(users["funding admin"])
    return {role: (Client(raise_request_exception=False), user) for role, user in users.items()}


def test_every_url_answers_every_role_as_the_table_says(role_clients):
    routes = all_routes()
    missing = [route for route in routes if route.pattern not in MATRIX]
    stale = sorted(set(MATRIX) - {route.pattern for route in routes})
    mismatches, writes = [], []
    for client, user in role_clients.values():
        if user:
            client.force_login(user)
    addresses = [
        (route, prefix)
        for route in routes
        for prefix in (("", "/en") if route.in_each_language else ("",))
    ]
    neutral_in_english = []
    for route, prefix in addresses:
        path = prefix + sample_path(route)
        observed = {}
        for method in ("get", "post"):
            for role, (client, user) in role_clients.items():
                expected = (
                    MATRIX[route.pattern].expected(method)[ROLES.index(role)]
                    if (route.pattern in MATRIX)
                    else None
                )
                check_writes = method == "post" and (
                    role in READ_ONLY_ROLES or expected in REFUSALS
                )
                before = row_counts() if check_writes else None
                response = getattr(client, method)(path)
                got = observed[method, role] = answer(response, prefix)
                if check_writes and row_counts() != before:
                    writes.append(f"{method.upper()} {path} as {role} changed the data")
                if expected is not None and got != expected:
                    mismatches.append(
                        f"{method.upper()} {path} as {role}: {got}, the table says {expected}"
                        f" (row {route.pattern!r})"
                    )
                if user and ("logout" in path or got == "500"):
                    client.force_login(user)  # signed out by that request: sign in again
        if not route.in_each_language:
            english = role_clients["anonymous"][0].get("/en" + sample_path(route))
            if english.status_code != 404:
                neutral_in_english.append(f"/en{sample_path(route)}: {english.status_code}")
        if route.pattern not in MATRIX and prefix == "":
            get = " ".join(observed["get", role] for role in ROLES)
            post = " ".join(observed["post", role] for role in ROLES)
            missing[missing.index(route)] = (
                f'    {route.pattern!r}: Access(get="{get}", post="{post}"),'
                f"  # {route.name or 'unnamed'}, e.g. {path}"
            )
    assert not missing, (
        "URL patterns without a row in MATRIX (tests/site/test_authorization_matrix.py). Check "
        "what each role got (ROLES order) and add the row:\n" + "\n".join(missing)
    )
    assert not stale, f"Rows in MATRIX for patterns the site no longer has: {stale}"
    assert not writes, "\n".join(writes)
    assert not neutral_in_english, "Language-neutral, yet answered under /en/:\n" + "\n".join(
        neutral_in_english
    )
    assert not mismatches, "\n".join(mismatches)
