import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache

from funding.changes.changelog import change_log
from funding.models import ContributionStatus
from tests.support.factories import (
    ContributionFactory,
    DateEstimateFactory,
    MilestoneFactory,
    OrganisationFactory,
    SourceFactory,
)
from tests.support.pages import address_in

pytestmark = pytest.mark.django_db
FEED = "/programmes/ai-fabriek-groningen/feed/"
ATOM = "{http://www.w3.org/2005/Atom}"


def read_feed(client, language="en"):
    response = client.get(address_in(FEED, language))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root):
    return root.findall(f"{ATOM}entry")


def titles(root):
    return [entry.findtext(f"{ATOM}title") for entry in entries(root)]


def test_feed_parses_as_atom_with_an_id_title_date_and_link_per_entry(client, aifabriek):
    root = read_feed(client)
    assert root.findtext(f"{ATOM}title") == "AI Factory Groningen: changes"
    found = entries(root)
    # 3 contributions entered a status, 5 milestones and 4 date estimates were recorded.
    assert len(found) == 12
    ids = [entry.findtext(f"{ATOM}id") for entry in found]
    assert len(set(ids)) == 12
    # The English feed's entries are on the English page.
    assert all(i.startswith("http://testserver/en/programmes/ai-fabriek-groningen/#") for i in ids)
    for entry in found:
        assert entry.findtext(f"{ATOM}title")
        assert entry.findtext(f"{ATOM}updated")
        link = entry.find(f"{ATOM}link").get("href")
        anchor = entry.findtext(f"{ATOM}id").partition("#")[2]
        assert (
            link == f"http://testserver/en/programmes/ai-fabriek-groningen/changes/?entry={anchor}"
        )


def test_feed_is_newest_first(client, aifabriek):
    updated = [entry.findtext(f"{ATOM}updated") for entry in entries(read_feed(client))]
    assert updated == sorted(updated, reverse=True)


def test_feed_names_status_changes_and_estimates(client, aifabriek):
    found = titles(read_feed(client))
    assert "Funding from European Union (European co-financing application): requested" in found
    assert "Expected date for Supercomputer runs at full power: late 2026" in found
    assert "Expected date for Supercomputer runs at full power: early 2027" in found
    assert "Milestone added: Letter to Parliament about the AI factory sent (done)" in found


def test_feed_entry_ids_stay_the_same(client, aifabriek):
    ids = [e.findtext(f"{ATOM}id") for e in entries(read_feed(client))]
    MilestoneFactory(programme=aifabriek, title="Next step")
    later = [e.findtext(f"{ATOM}id") for e in entries(read_feed(client))]
    assert later[1:] == ids


def test_a_status_change_comes_first_in_the_feed(client, aifabriek):
    read_feed(client)  # cached
    eu = aifabriek.contributions.get(key="eu-cofinanciering")
    eu.status = ContributionStatus.COMMITTED
    eu.save()
    assert titles(read_feed(client))[0] == (
        "Funding from European Union (European co-financing application): committed"
    )


def test_feed_is_in_dutch_by_default(client, aifabriek):
    root = read_feed(client, "nl")
    assert "Verwachte datum voor Supercomputer draait op volle kracht: eind 2026" in titles(root)


def test_feed_omits_non_public_records(client, hidden_records):
    body = client.get(FEED).content.decode()
    assert [name for name in hidden_records if name in body] == []


def test_feed_omits_changes_made_while_a_milestone_was_private(client, aifabriek):
    milestone = MilestoneFactory(programme=aifabriek, title="Draft title", is_public=False)
    milestone.title = "Published title"
    milestone.is_public = True
    milestone.save()
    found = titles(read_feed(client))
    assert "Milestone updated: Published title (planned)" in found
    assert not any("Draft title" in title for title in found)


def test_feed_omits_status_events_recorded_while_a_contribution_was_private(client, aifabriek):
    quiet = ContributionFactory(
        programme=aifabriek,
        funder=OrganisationFactory(name="Quiet Fund"),
        instrument="",
        status=ContributionStatus.REQUESTED,
        is_public=False,
    )
    quiet.is_public = True
    quiet.save()
    quiet.status = ContributionStatus.COMMITTED
    quiet.save()
    found = [title for title in titles(read_feed(client)) if "Quiet Fund" in title]
    assert found == ["Funding from Quiet Fund: committed"]


def test_feed_omits_estimates_recorded_while_a_milestone_was_private(client, aifabriek):
    draft = MilestoneFactory(programme=aifabriek, title="Draft step", is_public=False)
    DateEstimateFactory(milestone=draft, source=SourceFactory(title="Secret memo"), year=2031)
    draft.is_public = True
    draft.save()
    feed = read_feed(client)
    assert "Milestone updated: Draft step (planned)" in titles(feed)
    # Titles and summaries only: the timestamps' microseconds may hold any four digits.
    words = " ".join(
        f"{entry.findtext(f'{ATOM}title')} {entry.findtext(f'{ATOM}summary')}"
        for entry in entries(feed)
    )
    assert "Expected date for Draft step" not in words
    assert "Secret memo" not in words and "2031" not in words


def feed_anchors(client) -> list[str]:
    return [e.findtext(f"{ATOM}id").partition("#")[2] for e in entries(read_feed(client))]


def log_anchors(slug: str = "ai-fabriek-groningen") -> list[str]:
    return [entry.anchor for entry in change_log(slug, page_size=1000).page.items]


FEED_KINDS = ("status-event-", "milestone-change-", "estimate-change-")


def test_feed_shows_the_events_the_change_log_shows_through_publication_and_withdrawal(
    client, aifabriek
):
    """Records and the programme going private and public again, at different moments: the
    feed lists exactly the log's status, milestone and estimate entries, never one it hides."""
    fund = ContributionFactory(
        programme=aifabriek, funder=OrganisationFactory(name="Wavering Fund"), is_public=False
    )
    step = MilestoneFactory(programme=aifabriek, title="Wavering step", is_public=False)
    estimate = DateEstimateFactory(milestone=step, year=2030)
    for public in (True, False, True, False, True):
        fund.is_public = public
        fund.save()
        fund.status = (
            ContributionStatus.DISBURSED
            if fund.status == ContributionStatus.COMMITTED
            else ContributionStatus.COMMITTED
        )
        fund.save()
        estimate.year += 1
        estimate.save()
        step.is_public = public
        step.save()
        step.description = f"Described while public={public}"
        step.save()
        step.title = f"Wavering step, public={public}"
        step.save()
    aifabriek.is_public = False
    aifabriek.save()
    eu = aifabriek.contributions.get(key="eu-cofinanciering")
    eu.status = ContributionStatus.COMMITTED
    eu.save()
    aifabriek.is_public = True
    aifabriek.save()
    estimate.year += 1
    estimate.save()
    shown = set(feed_anchors(client))
    listed = {anchor for anchor in log_anchors() if anchor.startswith(FEED_KINDS)}
    assert shown - listed == set()
    # Fewer than the feed's 50 entries, none a removal: the feed shows every one.
    assert shown == listed


def test_feed_costs_at_most_five_queries_however_long_the_history(
    client, aifabriek, django_assert_max_num_queries
):
    """The programme, the log's newest entries, and the rows of each kind among them."""
    eu = aifabriek.contributions.get(key="eu-cofinanciering")
    step = MilestoneFactory(programme=aifabriek, title="Step")
    # The data set's 12 entries, the new milestone, and 2 entries per round (the very first
    # leaves the status as it was).
    for rounds, shown in ((10, 32), (60, 50)):
        for number in range(rounds):
            eu.status = [ContributionStatus.REQUESTED, ContributionStatus.COMMITTED][number % 2]
            eu.save()
            step.title = f"Step {number}"
            step.save()
        cache.clear()
        with django_assert_max_num_queries(5):
            assert len(entries(read_feed(client))) == shown


def test_feed_of_unknown_programme_is_404(client, aifabriek):
    assert client.get("/programmes/no-such-programme/feed/").status_code == 404


def test_feed_of_non_public_programme_is_404(client, aifabriek):
    aifabriek.is_public = False
    aifabriek.save()
    assert client.get(FEED).status_code == 404


def test_programme_page_announces_its_feed(client, aifabriek):
    html = client.get(aifabriek.get_absolute_url()).content.decode()
    assert f'<link rel="alternate" type="application/atom+xml" href="{FEED}"' in html


def test_feed_readers_that_send_the_etag_back_get_304(client, aifabriek):
    etag = client.get(FEED)["ETag"]
    assert client.get(FEED, headers={"if-none-match": etag}).status_code == 304
    milestone = aifabriek.milestones.get(key="kamerbrief")
    milestone.title = "Kamerbrief verstuurd"
    milestone.save()
    assert client.get(FEED, headers={"if-none-match": etag}).status_code == 200
