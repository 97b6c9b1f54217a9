"""Funding admins see what the source check found: each source's latest check on its list and
its page, and the snapshots with their quote checks, which nobody can edit."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from funding.models import Source, SourceSnapshot
from tests.support.admin_forms import sign_in_in_english

SOURCES = reverse("admin:funding_source_changelist")
SNAPSHOTS = reverse("admin:funding_sourcesnapshot_changelist")


@pytest.fixture
def controller(client, funding_admin):
    return sign_in_in_english(client, funding_admin)


@pytest.fixture
def checked(aifabriek):
    call_command("check_sources", stdout=StringIO())
    return aifabriek


def test_the_source_list_shows_each_sources_latest_check(controller, checked):
    html = controller.get(SOURCES).content.decode()
    assert html.count('<td class="field-outcome">archived</td>') == 2
    assert html.count('<td class="field-passages_missing">0</td>') == 2


def test_a_source_never_checked_says_so(controller, aifabriek):
    html = controller.get(SOURCES).content.decode()
    assert html.count('<td class="field-last_checked">never</td>') == 2


def test_the_source_page_lists_its_passages_with_their_state(controller, checked):
    source = Source.objects.get(key="defensie-investeert-ai-fabriek")
    html = controller.get(reverse("admin:funding_source_change", args=[source.pk])).content.decode()
    assert ": funding/data/sources/defensie-investeert-ai-fabriek.txt — archived" in html
    assert html.count("<td>found</td>") == 6
    assert "<td>not found</td>" not in html
    assert "draait de supercomputer eind 2026 op volle kracht." in html


def test_the_filter_finds_sources_with_a_passage_not_found(controller, checked):
    source = Source.objects.get(key="ez-ai-fabriek-200-miljoen")
    citation = source.contributionsource_set.first()
    citation.quote = "Een zin die er niet staat."
    citation.save()
    call_command("check_sources", stdout=StringIO())
    listed = controller.get(SOURCES, {"check": "missing"}).context["cl"].result_list
    assert [row.key for row in listed] == ["ez-ai-fabriek-200-miljoen"]
    assert listed[0].missing_quotes == 1


def test_snapshots_can_be_read_but_not_changed(controller, checked):
    snapshot = SourceSnapshot.objects.get(source__key="defensie-investeert-ai-fabriek")
    assert controller.get(SNAPSHOTS).status_code == 200
    page = reverse("admin:funding_sourcesnapshot_change", args=[snapshot.pk])
    html = controller.get(page).content.decode()
    assert "Defensie investeert in AI-fabriek in Groningen" in html
    assert controller.post(page, {"outcome": "refused"}).status_code == 403
    assert controller.get(reverse("admin:funding_sourcesnapshot_add")).status_code == 403
    delete = reverse("admin:funding_sourcesnapshot_delete", args=[snapshot.pk])
    assert controller.post(delete, {"post": "yes"}).status_code == 403
    snapshot.refresh_from_db()
    assert snapshot.outcome == "ok"
