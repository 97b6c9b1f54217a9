"""The cockpit: what needs a person, across the programmes they see, above the portfolio."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import translation

from funding.dashboards import cockpit
from funding.dashboards.cockpit import SHOWN, shown_items
from funding.dashboards.cockpit_items import overdue_decisions, overdue_milestones
from funding.dashboards.cockpit_page import build_cockpit
from funding.models import ContributionStatus, MilestoneStatus
from tests.support.cockpit import (
    checked_source,
    last_year,
    member,
    overdue_decision,
    overdue_milestone,
    recorded_days_ago,
    today,
)
from tests.support.factories import (
    ContributionFactory,
    DateEstimateFactory,
    MilestoneFactory,
    ProgrammeFactory,
)
from tests.support.pages import html_in
from tests.support.users import make_user

pytestmark = pytest.mark.django_db


def item(items, key):
    return next(item for item in items if item.key == key)


def titles(found):
    return [row.title for row in found.rows]


def test_it_lists_a_milestone_whose_last_expected_day_has_passed():
    programme = ProgrammeFactory()
    late = overdue_milestone(programme, title="Hardware delivered")
    overdue_milestone(programme, title="Already done", status=MilestoneStatus.DONE)
    # Sources disagree: one estimate has passed, the other (this year) has not.
    disputed = overdue_milestone(programme, title="Disputed")
    DateEstimateFactory(milestone=disputed, precision="day", day=today())
    found = overdue_milestones(None, today=today(), offset=0, limit=10)
    assert (found.count, titles(found)) == (1, ["Hardware delivered"])
    with translation.override("en"):
        assert str(found.rows[0].when) == f"late {last_year()}"
    assert found.rows[0].pk == late.pk


def test_a_fuzzy_date_passes_when_its_last_day_has_passed():
    milestone = MilestoneFactory(title="Opening")
    # "This year" ends on 31 December: it has not passed while the year lasts.
    DateEstimateFactory(milestone=milestone, precision="year", year=today().year)
    assert overdue_milestones(None, today=today(), offset=0, limit=10).count == 0
    next_year = today().replace(year=today().year + 1, month=1, day=1)
    assert titles(overdue_milestones(None, today=next_year, offset=0, limit=10)) == ["Opening"]


def test_it_lists_a_requested_contribution_whose_decision_is_overdue():
    programme = ProgrammeFactory()
    overdue_decision(programme, instrument="Nij Begun", amount=Decimal("5000000.00"))
    decided = overdue_decision(programme, instrument="Decided")
    decided.status = ContributionStatus.COMMITTED
    decided.save()
    found = overdue_decisions(None, today=today(), offset=0, limit=10)
    assert found.count == 1
    assert found.rows[0].title.endswith("(Nij Begun)")
    with translation.override("en"):
        assert str(found.rows[0].when) == f"Q1 {last_year()}"


def test_it_lists_the_sources_whose_check_failed_for_the_programmes_seen(funding_admin):
    mine, other = ProgrammeFactory(name="Mine"), ProgrammeFactory(name="Other")
    fine = checked_source(mine, title="Fine", text="Het kabinet draagt bij. Meer tekst.")
    gone = checked_source(mine, title="Gone", text=None)
    wrong = checked_source(mine, title="Wrong", text="Een andere tekst.")
    checked_source(other, title="Elsewhere", text=None)
    viewer = make_user("viewer")
    member(viewer, mine)
    found = item(shown_items(viewer, today=today()), "failed-source-checks")
    with translation.override("en"):
        rows = [(shown.row.title, str(shown.row.note)) for shown in found.rows]
    assert sorted(rows) == [
        ("Gone", "source could not be archived"),
        ("Wrong", "a quoted passage was not found"),
    ]
    assert fine.pk not in {shown.row.pk for shown in found.rows}
    admin = item(shown_items(funding_admin, today=today()), "failed-source-checks")
    assert admin.count == 3
    assert f"/admin/funding/source/{gone.pk}/change/" in [shown.url for shown in admin.rows]
    assert wrong.pk in {shown.row.pk for shown in admin.rows}


def test_a_viewer_of_one_programme_sees_only_its_items(client):
    mine, other = ProgrammeFactory(name="Mine"), ProgrammeFactory(name="Other")
    overdue_milestone(mine, title="My milestone")
    overdue_milestone(other, title="Their milestone")
    overdue_decision(other)
    viewer = make_user("viewer")
    member(viewer, mine)
    built = shown_items(viewer, today=today())
    assert [shown.row.title for shown in item(built, "overdue-milestones").rows] == ["My milestone"]
    assert item(built, "overdue-decisions").count == 0
    client.force_login(viewer)
    page = client.get("/dashboard/").content.decode()
    assert "My milestone" in page
    assert "Their milestone" not in page


def test_an_empty_cockpit_says_so(staff_client):
    ProgrammeFactory()
    page = html_in(staff_client, "/dashboard/")
    assert "Nothing needs you at the moment." in page
    assert "Checked, and nothing found:" in page
    assert "Milestones past their expected date with no report" in page


def test_the_cockpit_opens_the_page_before_the_portfolio(staff_client):
    overdue_milestone(ProgrammeFactory(), title="Hardware delivered")
    page = html_in(staff_client, "/dashboard/")
    headings = re.findall(r"<h([123])[^>]*>(.*?)</h\1>", page, re.S)
    names = [" ".join(re.sub(r"<[^>]+>", " ", text).split()) for _level, text in headings]
    assert names[:3] == [
        "Portfolio",
        "What needs you",
        "Milestones past their expected date with no report (1)",
    ]
    assert names.index("Programmes") > 2


def test_each_row_links_to_the_dashboard_for_staff_and_the_admin_for_editors(
    client, staff_client, funding_admin
):
    programme = ProgrammeFactory(slug="late")
    milestone = overdue_milestone(programme, title="Hardware delivered")
    contribution = overdue_decision(programme)
    staff = shown_items(_user(staff_client), today=today())
    urls = [
        shown.url
        for key in ("overdue-milestones", "overdue-decisions")
        for shown in item(staff, key).rows
    ]
    assert urls == [
        "/dashboard/late/#milestones-heading",
        "/dashboard/late/contributions/?status=requested",
    ]
    for url in urls:
        assert staff_client.get(url).status_code == 200
    admin = shown_items(funding_admin, today=today())
    urls = [
        shown.url
        for key in ("overdue-milestones", "overdue-decisions")
        for shown in item(admin, key).rows
    ]
    assert urls == [
        f"/admin/funding/milestone/{milestone.pk}/change/",
        f"/admin/funding/contribution/{contribution.pk}/change/",
    ]
    client.force_login(funding_admin)
    for url in urls:
        assert client.get(url).status_code == 200


def _user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def test_a_long_item_shows_ten_and_links_to_the_rest(staff_client):
    programme = ProgrammeFactory()
    for n in range(SHOWN + 2):
        overdue_milestone(programme, title=f"Late {n:02}")
    page = html_in(staff_client, "/dashboard/")
    assert page.count("Late ") == SHOWN
    more = re.search(r'href="([^"]+)">and 2 more', page)
    assert more.group(1) == "/en/dashboard/?needs=overdue-milestones#needs-overdue-milestones"
    full = staff_client.get(more.group(1)).content.decode()
    assert full.count("Late ") == SHOWN + 2
    assert "1 to 12 of 12." in full


@pytest.mark.parametrize(
    "query",
    [
        "?needs=nothing",
        "?needs=overdue-milestones&needs_page=x",
        "?needs=overdue-milestones&needs_page=99",
    ],
)
def test_a_bad_address_gives_the_page_not_an_error(staff_client, query):
    overdue_milestone(ProgrammeFactory(), title="Hardware delivered")
    assert "What needs you" in html_in(staff_client, f"/dashboard/{query}")


def test_people_who_see_the_same_programmes_share_the_cached_figures(
    django_assert_num_queries,
):
    programme = ProgrammeFactory()
    overdue_milestone(programme)
    first, second, third = make_user("first"), make_user("second"), make_user("third")
    member(first, programme)
    member(second, programme, role="editor")
    member(third, programme)
    build_cockpit(first, today=today())
    # The editor's links differ (to the admin), but the rows are the viewer's: only the second
    # person's groups and teams are read (one query), and their own proposals (never shared).
    with django_assert_num_queries(2):
        page = build_cockpit(second, today=today())
    assert page.counts["overdue-milestones"] == 1
    assert "/admin/funding/milestone/" in page.shared_html
    # A viewer like the first gets the first's rendered items.
    with django_assert_num_queries(2):
        page = build_cockpit(third, today=today())
    assert "/admin/funding/milestone/" not in page.shared_html
    assert "#milestones-heading" in page.shared_html


@pytest.mark.parametrize("size", [10, 1000])
def test_the_cockpit_costs_the_same_queries_for_10_and_1000_programmes(
    policy_staff, django_assert_max_num_queries, size
):
    programmes = ProgrammeFactory.create_batch(size)
    for programme in programmes[:3]:
        overdue_milestone(programme)
        overdue_decision(programme)
    committed = ContributionFactory(programme=programmes[0])
    recorded_days_ago(8, programmes=programmes, contributions=[committed])
    programmes[0].target = Decimal("9000000.00")
    programmes[0].save()
    checked_source(programmes[1], title="Gone", text=None)
    cache.clear()
    # The user's groups; one query per item (milestones, decisions), two for the shares (which
    # programmes changed this week, and their shares) and for the source checks (the checks,
    # the programmes' names); the user's teams, read once for all the links (may they edit);
    # the person's own proposals and the break-glass uses (a count each).
    with django_assert_max_num_queries(10):
        built = shown_items(policy_staff, today=today())
    assert item(built, "overdue-milestones").count == 3
    assert item(built, "overdue-decisions").count == 3
    assert [shown.row.pk for shown in item(built, "fallen-shares").rows] == [programmes[0].pk]
    assert [shown.row.title for shown in item(built, "failed-source-checks").rows] == ["Gone"]


def test_an_item_from_another_module_lists_its_queryset_with_admin_links(funding_admin):
    programme = ProgrammeFactory(slug="plugged")
    milestone = MilestoneFactory(programme=programme, title="From a queryset")
    find = cockpit.queryset_provider(
        lambda programme_ids: type(milestone).objects.filter(title__startswith="From"),
        per_user=False,
    )
    found = find(cockpit.Scope(funding_admin, None, today()), offset=0, limit=10)
    assert (found.count, [row.title for row in found.rows]) == (1, ["From a queryset"])
    shown = cockpit._shown_row(found.rows[0], funding_admin)
    assert shown.url == f"/admin/funding/milestone/{milestone.pk}/change/"


def test_an_item_is_left_out_while_its_module_does_not_exist():
    assert cockpit.optional("funding.no_such_module:things") is None
    shown = {provider.key for provider in cockpit.PROVIDERS}
    assert {"overdue-milestones", "overdue-decisions", "fallen-shares"} <= shown


@pytest.mark.parametrize("key", list(cockpit.PLANNED))
def test_a_planned_item_is_there_whenever_its_module_is(key):
    module, _, name = cockpit.PLANNED[key].partition(":")
    try:
        found = __import__(module, fromlist=[name])
    except ModuleNotFoundError:
        assert key not in {provider.key for provider in cockpit.PROVIDERS}
    else:
        assert hasattr(found, name), f"{module} exists but has no {name}: fix PLANNED"
        assert key in {provider.key for provider in cockpit.PROVIDERS}
