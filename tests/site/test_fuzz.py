"""Generated input to every view: no answer is a server error, and refused input writes nothing.

hypothesis makes path segments, query strings, headers and form bodies (the admin's add and change
forms, and the import with generated files) and sends them as the role that can reach the view.
FUZZ_EXAMPLES (200 by default; FUZZ_EXAMPLES=5000 for a long run) is the number of examples per
view that reads query parameters and for the import; each admin form gets half of it, and the
sweep over every URL pattern a tenth per pattern.
"""

import os
import re
from decimal import Decimal
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funding.models import Contribution, Programme
from funding.permissions import FUNDING_ADMINS, POLICY_STAFF
from funding.teams import give_role
from tests.support.factories import DecisionEstimateFactory, PaymentFactory
from tests.support.urlconf import SIGN_IN_RECORDS, all_routes, sample_path, sign_in_records
from tests.support.users import make_user

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
fuzz_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # The same examples on every run, so CI passes or fails on the code, not on a draw;
    # FUZZ_RANDOM=1 explores new ones (with FUZZ_EXAMPLES for more of them).
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    suppress_health_check=list(HealthCheck),
)
# Examples per URL pattern in the sweep, and per admin form (each is a slower request).
SWEEP_EXAMPLES = max(EXAMPLES // 10, 5)
FORM_EXAMPLES = max(EXAMPLES // 2, 10)

# Every query parameter a view of ours or the admin reads.
QUERY_NAMES = [
    "page", "entry", "sort", "status", "funder", "instrument", "notes", "export", "language",
    "next", "paid", "key",
    "q", "o", "p", "e", "all", "_to_field", "_popup", "_changelist_filters", "has_source",
    "status__exact", "programme__id__exact", "is_public__exact", "funder__id__exact",
    "precision__exact", "source__id__exact", "milestone__programme__id__exact", "kind__exact",
    "role__exact", "currency__exact", "language__exact", "publisher",
    "contribution__programme__id__exact", "published_on__year", "published_on__month",
    "published_on__day", "paid_on__year", "app_label", "model_name", "field_name", "term", "lang",
]  # fmt: skip
ODD_VALUES = [
    "", "0", "-1", "1.5", "9" * 30, "9" * 5000, "1e999", "NaN", "-0", "\x00", "null",
    "2026-02-30", "0000-00-00", "ai-fabriek-groningen", "committed", "csv", "xlsx", "en", "nl",
    "-amount", "amount", "funder__name", "__proto__", "../../etc/passwd", "<script>", "' OR 1=1",
    "é" * 300, "\ud7ff", "%00", "1,2", "True", "None", "status-event-1", "milestone-change-9" * 9,
]  # fmt: skip
values = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(max_size=60),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(str),
    st.text(min_size=2000, max_size=6000, alphabet="a9-é"),
)
queries = st.dictionaries(
    st.one_of(st.sampled_from(QUERY_NAMES), st.text(min_size=1, max_size=20)),
    st.lists(values, min_size=1, max_size=3),
    max_size=6,
)
latin1 = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255), max_size=200)
headers = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_ACCEPT_LANGUAGE": st.one_of(
            latin1, st.sampled_from(["en", "nl-NL,nl;q=0.9,en;q=0.8", "*", "xx-YY;q=2", "en;q=x"])
        ),
        "HTTP_IF_NONE_MATCH": st.one_of(latin1, st.sampled_from(['"abc"', "*", 'W/"x", "y"'])),
        "HTTP_IF_MODIFIED_SINCE": st.one_of(
            latin1,
            st.sampled_from(
                ["Mon, 23 Nov 2026 10:00:00 GMT", "Sun, 06 Nov 1994 08:49:37 GMT", "99999"]
            ),
        ),
        "HTTP_RANGE": st.one_of(latin1, st.sampled_from(["bytes=0-10", "bytes=-5", "bytes=9-1"])),
    },
)
segments = st.one_of(
    st.text(min_size=1, max_size=80),
    st.from_regex(r"\A[-a-zA-Z0-9_]{1,80}\Z"),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(min_size=300, max_size=3000, alphabet="ab-9"),
    st.sampled_from(ODD_VALUES[:20]).filter(bool),
).map(lambda text: quote(text, safe=""))


def row_counts() -> dict[str, int]:
    tables = sorted(t for t in connection.introspection.table_names() if t not in SIGN_IN_RECORDS)
    quoted = ", ".join(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(table)})" for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quoted}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def check(response, what: str) -> None:
    """Not a server error, and no exception escaped the view (the test client records it)."""
    assert response.status_code < 500, f"{response.status_code} for {what}"
    assert getattr(response, "exc_info", None) is None, f"exception for {what}"


@pytest.fixture
def clients(aifabriek):
    """A signed-in client per role, and one for visitors, over the data set and a payment."""
    PaymentFactory(contribution=Contribution.objects.get(key="rijk"), amount=Decimal("1000.00"))
    DecisionEstimateFactory(contribution=Contribution.objects.get(key="eu-cofinanciering"))
    # A team member, and so a record of the team and of the governance audit.
    give_role(user=make_user("member"), programme=aifabriek, role="editor")
    users = {
        "anonymous": None,
        "policy staff": make_user("policy", POLICY_STAFF),
        "funding admin": make_user("controller", FUNDING_ADMINS, is_staff=True),
        "superuser": User.objects.create_superuser("root", password="a-root-password-of-length"),
    }
    sign_in_records(users["funding admin"])
    result = {}
    for role, user in users.items():
        client = Client(raise_request_exception=False)
        if user:
            client.force_login(user)
        result[role] = client
    return result


def role_for(pattern: str) -> str:
    """The role that reaches the pattern's view (the others are refused before it runs)."""
    if pattern.startswith(("admin/auth/", "admin/otp_")):
        return "superuser"
    if pattern.startswith("admin/"):
        return "funding admin"
    if pattern.startswith("dashboard/"):
        return "policy staff"
    return "anonymous"


def fill_path(pattern: str, path: str, parts: list[str]) -> str:
    """The sample address with its variable segments replaced by generated ones."""
    sample = iter(parts)
    template = re.sub(r"<[^>]+>|\(\[\^/\]\+\)", lambda _: "\0", pattern)
    if "\0" not in template:
        return path
    pieces = path.strip("/").split("/")
    pattern_pieces = template.replace("^", "").replace("$", "").strip("/").split("/")
    if len(pieces) != len(pattern_pieces):
        return path
    return (
        "/"
        + "/".join(
            next(sample) if "\0" in p else piece
            for p, piece in zip(pattern_pieces, pieces, strict=True)
        )
        + ("/" if path.endswith("/") else "")
    )


SWEPT = [route for route in all_routes() if "logout" not in route.pattern]


def test_every_url_pattern_takes_generated_paths_queries_and_headers(clients):
    """GETs with generated path segments, query strings and headers, to every pattern."""
    samples = {route.pattern: sample_path(route) for route in SWEPT}

    @settings(fuzz_settings, max_examples=SWEEP_EXAMPLES * len(SWEPT))
    @given(
        route=st.sampled_from(SWEPT),
        parts=st.lists(segments, min_size=3, max_size=3),
        query=queries,
        extra=headers,
    )
    def fuzz(route, parts, query, extra):
        address = fill_path(route.pattern, samples[route.pattern], parts)
        before = row_counts()
        response = clients[role_for(route.pattern)].get(address, query, **extra)
        check(response, f"GET {address}?{urlencode(query, doseq=True)} {extra}")
        assert row_counts() == before, f"GET {address} changed the data"

    fuzz()


FOCUSED_GETS = [
    ("anonymous", "/"),
    ("anonymous", "/programmes/ai-fabriek-groningen/"),
    ("anonymous", "/programmes/ai-fabriek-groningen/feed/"),
    ("anonymous", "/programmes/ai-fabriek-groningen/changes/"),
    ("anonymous", "/api/programmes/"),
    ("anonymous", "/api/programmes/ai-fabriek-groningen/"),
    ("anonymous", "/api/programmes/ai-fabriek-groningen/contributions.csv"),
    # `lang` picks the embeds' language; anything else falls back to the visitor's.
    ("anonymous", "/programmes/ai-fabriek-groningen/badge.svg"),
    ("anonymous", "/programmes/ai-fabriek-groningen/embed/"),
    ("policy staff", "/dashboard/"),
    ("policy staff", "/dashboard/ai-fabriek-groningen/"),
    ("policy staff", "/dashboard/ai-fabriek-groningen/contributions/"),
    ("funding admin", "/admin/funding/contribution/"),
]


def test_views_take_any_query_string_and_headers(clients):
    """The views that read query parameters, EXAMPLES each on average."""

    @settings(fuzz_settings, max_examples=EXAMPLES * len(FOCUSED_GETS))
    @given(view=st.sampled_from(FOCUSED_GETS), query=queries, extra=headers)
    def fuzz(view, query, extra):
        role, path = view
        response = clients[role].get(path, query, **extra)
        check(response, f"GET {path}?{urlencode(query, doseq=True)} {extra}")

    fuzz()


def form_fields(page: str) -> dict[str, str]:
    """The names and initial values of a form page's fields, management forms included."""
    fields = {}
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", page):
        name = re.search(r'\bname="([^"]+)"', tag)
        if name is None or name.group(1) in {"csrfmiddlewaretoken", "_save", "_continue"}:
            continue
        value = re.search(r'\bvalue="([^"]*)"', tag)
        fields[name.group(1)] = value.group(1) if value else ""
    return fields


EDITED_MODELS = [
    "programme", "contribution", "milestone", "dateestimate", "organisation", "source",
    "partnerrole", "payment", "statusevent", "decisionestimate",
]  # fmt: skip


def admin_form_paths(model: str) -> list[str]:
    add = [] if model == "statusevent" else [f"/admin/funding/{model}/add/"]
    return [*add, f"/admin/funding/{model}/{{pk}}/change/"]


FORMS = [(model, path) for model in EDITED_MODELS for path in admin_form_paths(model)]


def test_admin_forms_take_any_body_and_write_only_when_they_accept_it(clients):
    """Every add and change form of the funding models, fields changed, emptied or left out."""
    from django.apps import apps

    client = clients["funding admin"]
    pages = {}
    for model, path in FORMS:
        record = apps.get_model("funding", model)._default_manager.order_by("pk").first()
        address = path.format(pk=record.pk)
        pages[address] = form_fields(client.get(address).content.decode())
        assert pages[address], f"no form fields on {address}"

    @settings(fuzz_settings, max_examples=FORM_EXAMPLES * len(pages))
    @given(path=st.sampled_from(sorted(pages)), data=st.data())
    def fuzz(path, data):
        initial = pages[path]
        changes = data.draw(
            st.dictionaries(
                st.sampled_from(sorted(initial)), st.one_of(st.none(), values), max_size=8
            )
        )
        body = dict(initial)
        for name, value in changes.items():
            if value is None:
                body.pop(name, None)
            else:
                body[name] = value
        body["_save"] = "Save"
        before = row_counts()
        response = client.post(path, body)
        check(response, f"POST {path} {changes}")
        if response.status_code != 302:
            assert row_counts() == before, f"refused POST {path} {changes} wrote rows"

    fuzz()


file_bodies = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=3000).map(str.encode),
    st.lists(
        st.lists(st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=20)), max_size=8),
        max_size=8,
    ).map(
        lambda rows: (
            "key,funder,amount,status,instrument,notes,public,source,quote,effective_on\n"
            + "\n".join(",".join(cell.replace("\n", " ") for cell in row) for row in rows)
        ).encode("utf-8", "surrogatepass")
    ),
    st.sampled_from([b"PK\x03\x04 not a workbook", b"\xef\xbb\xbfkey;funder;amount\nx;y;70.000"]),
)


def test_the_import_takes_any_file_and_writes_nothing_it_refuses(clients):
    client = clients["funding admin"]
    programme = Programme.objects.get()

    @fuzz_settings
    @given(
        content=file_bodies,
        name=st.sampled_from(["c.csv", "c.xlsx", "c.CSV", "c.txt", "c", "c.csv.exe"]),
        programme_id=st.one_of(st.just(str(programme.pk)), values),
    )
    def fuzz(content, name, programme_id):
        before = row_counts()
        upload = SimpleUploadedFile(name, content)
        response = client.post(
            "/admin/funding/contribution/import/",
            {"programme": programme_id, "import_file": upload},
        )
        check(response, f"import of {name} {content[:80]!r}")
        # The import's first step only previews, in a transaction that is rolled back.
        assert row_counts() == before, f"the preview of {name} wrote rows"

    fuzz()


def test_a_date_estimate_form_without_its_period_says_so(clients, aifabriek):
    """Found by the matrix: the page named the half-validated estimate and failed."""
    from funding.models import DateEstimate

    estimate = DateEstimate.objects.filter(precision="part").first()
    path = f"/admin/funding/dateestimate/{estimate.pk}/change/"
    client = clients["funding admin"]
    body = form_fields(client.get(path).content.decode()) | {"period": ""}
    response = client.post(path, body)
    assert response.status_code == 200
    assert "period runs from 1 to 3" in response.content.decode()


def test_a_related_field_posted_with_a_value_that_is_no_key_shows_the_form(clients):
    """Found by the fuzz tests: the autocomplete widget looked "1.5" up as an id and failed."""
    path = f"/admin/funding/contribution/{Contribution.objects.get(key='rijk').pk}/change/"
    client = clients["funding admin"]
    body = form_fields(client.get(path).content.decode()) | {"citations-0-source": "1.5"}
    response = client.post(path, body)
    assert response.status_code == 200
    assert 'class="errornote"' in response.content.decode()
