"""The public change log: every change to a public figure, status, expected date or milestone,
newest first, with before, after, dates and sources; never a record that is not public."""

import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from funding.changes.changelog import change_log
from funding.models import ContributionStatus, DateEstimate, Source, StatusChange
from tests.support.factories import (
    ContributionFactory,
    DateEstimateFactory,
    MilestoneFactory,
    OrganisationFactory,
    ProgrammeFactory,
    SourceFactory,
)
from tests.support.pages import address_in, html_in

pytestmark = pytest.mark.django_db
CHANGES = "/programmes/ai-fabriek-groningen/changes/"
ATOM = "{http://www.w3.org/2005/Atom}"


def plain(html) -> str:
    """Text without its tags (a record's text on an English page is marked `<span lang="nl">`)."""
    return re.sub(r"<[^>]+>", "", str(html))


def subjects(html):
    return [plain(s) for s in re.findall(r'<h3 class="change__subject">(.*?) <span class', html)]


def entry(html, anchor):
    """The HTML of one entry of the log."""
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</li>", start)]


def decide_eu(aifabriek, status=ContributionStatus.COMMITTED, **change):
    eu = aifabriek.contributions.get(key="eu-cofinanciering")
    eu.status = status
    eu.status_change = StatusChange(**change)
    eu.save()
    return eu


def eu_anchor(aifabriek):
    eu = aifabriek.contributions.get(key="eu-cofinanciering")
    return f"status-event-{eu.status_events.get().pk}"


def test_the_shipped_data_reads_as_first_published_entries(client, aifabriek):
    html = html_in(client, CHANGES)
    assert "19 changes" in html
    assert html.count("(first published)") == 19
    eu = entry(html, eu_anchor(aifabriek))
    assert "Contribution from Europese Unie (Europese cofinancieringsaanvraag)" in eu
    assert "<dt>Amount</dt><dd>€70,000,000</dd>" in eu
    assert "<dt>Status</dt><dd>requested</dd>" in eu
    assert "no source gives the date" in eu
    assert "Nederland zet in op €200 miljoen voor AI-fabriek in Groningen" in eu


def test_the_change_log_is_in_dutch_by_default(client, aifabriek):
    html = html_in(client, CHANGES, "nl")
    assert html.count("(eerst gepubliceerd)") == 19
    assert "<dt>Bedrag</dt><dd>€ 70.000.000</dd>" in entry(html, eu_anchor(aifabriek))
    assert "Stand per <time datetime=" in html


def test_a_decision_comes_first_with_before_after_date_and_source(client, aifabriek):
    source = Source.objects.get(key="defensie-investeert-ai-fabriek")
    event = decide_eu(
        aifabriek, effective_on=date(2025, 11, 3), source=source, quote="Brussel zegt ja."
    ).status_events.latest("recorded_at")
    for language, before, after, day in [
        ("en", "requested", "committed", "3 November 2025"),
        ("nl", "aangevraagd", "toegezegd", "3 november 2025"),
    ]:
        html = html_in(client, CHANGES, language)
        assert re.search(r'<li class="change" id="([\w-]+)"', html)[1] == f"status-event-{event.pk}"
        first = entry(html, f"status-event-{event.pk}")
        assert re.search(
            rf'change__before">{before}</td><td class="utrecht-table__cell change__after">{after}<',
            first,
        )
        assert f'<time datetime="2025-11-03">{day}</time>' in first
        assert "Defensie investeert in AI-fabriek in Groningen" in first
        assert "Brussel zegt ja." in first


def test_an_amount_change_shows_both_amounts_in_the_sites_format(client, aifabriek):
    region = aifabriek.contributions.get(key="nij-begun")
    region.amount = Decimal("65000000.00")
    region.save()
    html = html_in(client, CHANGES)
    [change] = re.findall(r'id="(contribution-change-\d+)"', html)
    row = entry(html, change)
    assert "Regio Groningen/Noord-Drenthe (Economische Agenda Nij Begun) <span" in row
    assert "€60,000,000</td>" in row and "€65,000,000</td>" in row
    nl = entry(html_in(client, CHANGES, "nl"), change)
    assert "€ 60.000.000</td>" in nl and "€ 65.000.000</td>" in nl


def test_changes_to_fields_the_public_does_not_see_are_not_listed(client, aifabriek):
    region = aifabriek.contributions.get(key="nij-begun")
    region.notes = "Internal: call the province about the second tranche"
    region.save()
    html = html_in(client, CHANGES)
    assert "19 changes" in html
    assert "second tranche" not in html


def test_a_non_public_contribution_never_shows(client, hidden_records):
    aifabriek = ContributionFactory._meta.model.objects.get(funder__name="Hidden Fund").programme
    hidden = aifabriek.contributions.get(funder__name="Hidden Fund")
    hidden.amount = Decimal("6000000.00")
    hidden.save()
    hidden.status = ContributionStatus.DISBURSED
    hidden.save()
    for language in ("en", "nl"):
        html = html_in(client, CHANGES, language)
        assert [name for name in hidden_records if name in html] == []
        assert "5,000,000" not in html and "6,000,000" not in html
        assert "5.000.000" not in html and "6.000.000" not in html
        assert "19 changes" in html or "19 wijzigingen" in html


def test_a_contribution_made_public_later_shows_without_its_earlier_values(client, aifabriek):
    draft = ContributionFactory(
        programme=aifabriek,
        funder=OrganisationFactory(name="Late Fund"),
        amount=Decimal("1111111.00"),
        status=ContributionStatus.REQUESTED,
        is_public=False,
    )
    draft.amount = Decimal("2222222.00")
    draft.save()
    draft.is_public = True
    draft.save()
    html = html_in(client, CHANGES)
    assert "20 changes" in html
    assert subjects(html)[0] == "Contribution from Late Fund"
    assert "(published)" in html
    assert "€2,222,222" in html
    assert "1,111,111" not in html
    # Its first status was recorded while it was not public: the publication names the state.
    assert not re.search(rf'id="status-event-{draft.status_events.get().pk}"', html)


def test_a_programme_made_public_later_hides_its_draft_history(client):
    programme = ProgrammeFactory(slug="drafted", is_public=False, target=Decimal("5000.00"))
    ContributionFactory(programme=programme, amount=Decimal("777.00"))
    programme.target = Decimal("9000.00")
    programme.save()
    programme.is_public = True
    programme.save()
    html = html_in(client, "/programmes/drafted/changes/")
    assert "1 change<" in html
    assert subjects(html) == [f"Programme “{programme.name}”"]
    assert "€9,000" in html
    assert "5,000" not in html and "777" not in html


def test_a_removed_estimate_and_a_changed_milestone_are_listed(client, aifabriek):
    milestone = aifabriek.milestones.get(key="supercomputer-volle-kracht")
    estimate = milestone.estimates.get(year=2027)
    DateEstimate.objects.get(pk=estimate.pk).delete()
    milestone.status = "delayed"
    milestone.save()
    html = html_in(client, CHANGES)
    assert subjects(html)[:2] == [
        "Milestone “Supercomputer runs at full power”",
        "Expected date of “Supercomputer runs at full power”",
    ]
    assert "(removed)" in html and "early 2027" in entry(
        html, re.findall(r'id="(estimate-change-\d+)"', html)[0]
    )
    assert "planned</td>" in html and "delayed</td>" in html


def test_the_log_is_newest_first_and_pages_through_every_entry(aifabriek):
    milestone = MilestoneFactory(programme=aifabriek, title="Step 0")
    for number in range(1, 12):
        milestone.title = f"Step {number}"
        milestone.save()
    seen = []
    for number in (1, 2, 3, 4, 5):
        page = change_log(aifabriek.slug, page=number, page_size=7).page
        assert (page.number, page.pages, page.count) == (number, 5, 31)
        seen += page.items
    assert [entry.recorded for entry in seen] == sorted(
        (entry.recorded for entry in seen), reverse=True
    )
    assert len({entry.anchor for entry in seen}) == 31
    titles = [plain(change.after) for change in seen[0].fields]
    assert titles == ["Step 11"] and plain(seen[0].fields[0].before) == "Step 10"


def test_pages_link_to_each_other_and_a_page_past_the_end_shows_the_last(client, aifabriek):
    milestone = MilestoneFactory(programme=aifabriek, title="Step 0")
    for number in range(1, 12):
        milestone.title = f"Step {number}"
        milestone.save()
    first = html_in(client, CHANGES)
    assert 'href="?page=2#changes-heading"' in first
    assert first.count('<li class="change"') == 25
    last = html_in(client, CHANGES + "?page=99")
    assert "Page 2 of 2" in last and last.count('<li class="change"') == 6
    assert "Page 1 of 2" in html_in(client, CHANGES + "?page=nonsense")


def test_unknown_and_non_public_programmes_have_no_change_log(client, aifabriek):
    assert client.get("/programmes/no-such-programme/changes/").status_code == 404
    aifabriek.is_public = False
    aifabriek.save()
    assert client.get(CHANGES).status_code == 404
    assert client.get(CHANGES + "?entry=status-event-1").status_code == 404


def test_the_programme_page_links_to_its_change_log(client, aifabriek):
    html = html_in(client, aifabriek.get_absolute_url())
    assert f'href="{address_in(CHANGES, "en")}">What changed, when, and on whose word</a>' in html
    assert escape("Change log: every change to the public figures") in html


def read_feed_links(client):
    root = ET.fromstring(client.get("/programmes/ai-fabriek-groningen/feed/").content)
    return [entry.find(f"{ATOM}link").get("href") for entry in root.findall(f"{ATOM}entry")]


def test_every_feed_entry_links_to_its_entry_in_the_change_log(client, aifabriek):
    links = read_feed_links(client)
    assert len(links) == 12
    for link in links:
        assert link.startswith(f"http://testserver{CHANGES}?entry=")
        anchor = link.rpartition("=")[2]
        response = client.get(link)
        assert response.status_code == 302
        assert response["Location"] == f"{CHANGES}#{anchor}"
        assert f'id="{anchor}"' in html_in(client, response["Location"].partition("#")[0])


def test_a_feed_entry_on_a_later_page_of_the_log_leads_to_that_page(client, aifabriek):
    first = [link for link in read_feed_links(client) if "status-event" in link][-1]
    milestone = MilestoneFactory(programme=aifabriek, title="Step 0")
    for number in range(1, 30):
        milestone.title = f"Step {number}"
        milestone.save()
    anchor = first.rpartition("=")[2]
    location = client.get(first)["Location"]
    assert location == f"{CHANGES}?page=2#{anchor}"
    assert f'id="{anchor}"' in html_in(client, location.partition("#")[0])


@pytest.mark.parametrize("entry_value", ["nonsense", "status-event-999999", "status-event-1e3", ""])
def test_an_entry_that_is_not_listed_leads_to_the_first_page(client, aifabriek, entry_value):
    response = client.get(CHANGES, {"entry": entry_value})
    assert (response.status_code, response["Location"]) == (302, CHANGES)


def test_an_estimate_recorded_while_its_milestone_was_not_public_never_shows(client, aifabriek):
    draft = MilestoneFactory(programme=aifabriek, title="Draft step", is_public=False)
    DateEstimateFactory(milestone=draft, source=SourceFactory(title="Secret memo"), year=2031)
    draft.is_public = True
    draft.save()
    html = html_in(client, CHANGES)
    assert subjects(html)[0] == "Milestone “Draft step”"
    assert "(published)" in html
    # The year as a word: a timestamp's microseconds may hold any four digits.
    assert "Secret memo" not in html and not re.search(r"\b2031\b", html)


def grow_history(programme, contributions: int) -> None:
    """Contributions whose amount changed twice, and a milestone renamed as often."""
    milestone = MilestoneFactory(programme=programme, title="Step")
    for number in range(contributions):
        contribution = ContributionFactory(programme=programme, amount=Decimal(1000 + number))
        for step in (1, 2):
            contribution.amount += step
            contribution.save()
        milestone.title = f"Step {number}"
        milestone.save()


def cold_queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# The programme, the day it holds as of, a page of keys (and the count, past the end), the rows
# of each kind on the page, the contributions' first versions and their sources.
MAX_QUERIES = 15  # at most: 1 + 1 + 3 + 8 kinds + 1 + 1


def test_a_page_costs_the_same_queries_at_two_sizes(client, aifabriek):
    counts = []
    for contributions in (20, 40):
        grow_history(aifabriek, contributions)
        counts.append([cold_queries(client, CHANGES + f"?page={n}") for n in (1, 2, 99)])
    # Pages 1 and 2 hold the same kinds of rows at both sizes; the last, the shipped data too.
    assert counts[0][:2] == counts[1][:2]
    assert max(counts[0] + counts[1]) <= MAX_QUERIES
