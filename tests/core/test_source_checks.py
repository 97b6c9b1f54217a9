"""`manage.py check_sources`: every source archived, every quoted passage checked against it, and
what it finds recorded without touching a funding record."""

import socket
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import translation

from funding.models import (
    Contribution,
    ContributionSource,
    QuoteCheck,
    QuoteState,
    QuotingKind,
    SnapshotOrigin,
    SnapshotOutcome,
    Source,
    SourceSnapshot,
)
from funding.source_checks import sources_needing_attention
from tests.support.factories import ContributionFactory, ProgrammeFactory, SourceFactory
from tests.support.source_server import EZ_TEXT

EZ_QUOTE = "Daarmee kan de totale investering op €200 miljoen uitkomen."
EZ = "ez-ai-fabriek-200-miljoen"
DEFENSIE = "defensie-investeert-ai-fabriek"


def check_sources(*args) -> str:
    out = StringIO()
    call_command("check_sources", *args, stdout=out)
    return out.getvalue()


def funding_records() -> dict:
    """Every row of every funding record, the check's own tables left out."""
    skipped = {SourceSnapshot, QuoteCheck}
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_app_config("funding").get_models()
        if model not in skipped
    }


def cited_source(url: str, quote: str = EZ_QUOTE) -> Source:
    """A source at `url`, quoted by one of the shipped contributions."""
    source = SourceFactory(url=url)
    contribution = Contribution.objects.get(key="rijk")
    ContributionSource.objects.create(contribution=contribution, source=source, quote=quote)
    return source


def latest(source: Source) -> SourceSnapshot:
    return SourceSnapshot.objects.get(source=source, is_latest=True)


def test_every_shipped_quote_is_found_in_the_shipped_texts(aifabriek):
    output = check_sources()
    checks = QuoteCheck.objects.all()
    assert checks.count() == 20
    assert set(checks.values_list("state", flat=True)) == {QuoteState.FOUND}
    assert set(checks.values_list("kind", flat=True)) == {
        QuotingKind.PROGRAMME_TARGET,
        QuotingKind.CONTRIBUTION,
        QuotingKind.STATUS_EVENT,
        QuotingKind.PARTNER,
        QuotingKind.MILESTONE,
        QuotingKind.DATE_ESTIMATE,
    }
    snapshots = SourceSnapshot.objects.order_by("source__key")
    assert [(s.source.key, s.origin, s.outcome, s.url) for s in snapshots] == [
        (DEFENSIE, "shipped", "ok", f"funding/data/sources/{DEFENSIE}.txt"),
        (EZ, "shipped", "ok", f"funding/data/sources/{EZ}.txt"),
    ]
    assert output.splitlines()[-1] == (
        "Checked 2 source(s): 2 archived; 0 changed since first archived. "
        "Quoted passages: 20 found, 0 not found, 0 with the source unavailable."
    )


def test_the_shipped_releases_served_as_web_pages_have_every_quote_found(aifabriek, source_site):
    Source.objects.filter(key=EZ).update(url=source_site.url("/ez.html"))
    Source.objects.filter(key=DEFENSIE).update(url=source_site.url("/defensie.txt"))
    check_sources()
    assert sorted(source_site.paths()) == ["/defensie.txt", "/ez.html"]
    states = QuoteCheck.objects.values_list("state", flat=True)
    assert list(states) == [QuoteState.FOUND] * 20
    ez = latest(Source.objects.get(key=EZ))
    assert (ez.origin, ez.outcome, ez.http_status) == (SnapshotOrigin.ADDRESS, "ok", 200)
    # The page's script and navigation are not its text; its words are.
    assert "tracking" not in ez.text
    assert ez.text.splitlines()[:2] == [
        "Home",
        "Nederland zet in op €200 miljoen voor AI-fabriek in Groningen",
    ]
    # Kept as served (a soft hyphen); the comparison of quotes sees past it.
    assert "wordt de AI-fab\xadriek in 2026 in gebruik genomen" in ez.text


@pytest.mark.parametrize(
    ("path", "outcome", "status", "detail"),
    [
        ("/missing", SnapshotOutcome.HTTP_ERROR, 404, "HTTP 404"),
        ("/gone", SnapshotOutcome.HTTP_ERROR, 410, "HTTP 410"),
        ("/slow", SnapshotOutcome.TIMEOUT, None, "no answer within 1 s"),
        (
            "/huge",
            SnapshotOutcome.TOO_LARGE,
            200,
            "larger than 1048576 bytes; reading stopped there",
        ),
        ("/report.pdf", SnapshotOutcome.NOT_TEXT, 200, "not a web page or text (application/pdf)"),
    ],
)
def test_each_broken_source_is_reported_as_such(
    aifabriek, source_site, settings, path, outcome, status, detail
):
    settings.SOURCE_CHECK_MAX_BYTES = 1024 * 1024
    source = cited_source(source_site.url(path))
    output = check_sources()
    snapshot = latest(source)
    assert (snapshot.outcome, snapshot.http_status, snapshot.detail) == (outcome, status, detail)
    assert (snapshot.text, snapshot.sha256) == ("", "")
    assert list(snapshot.quote_checks.values_list("state", flat=True)) == [
        QuoteState.SOURCE_UNAVAILABLE
    ]
    with translation.override("en"):
        label = str(SnapshotOutcome(outcome).label)
    assert f"{source.key}: {label} ({detail})" in output
    # The shipped sources were checked in the same run, and found.
    assert QuoteCheck.objects.filter(state=QuoteState.FOUND).count() == 20


def test_a_moved_page_is_followed_and_its_new_address_recorded(aifabriek, source_site):
    source = cited_source(source_site.url("/moved"))
    check_sources()
    snapshot = latest(source)
    assert (snapshot.outcome, snapshot.final_url) == (
        "ok",
        source_site.url("/nieuws/ez-ai-fabriek.html"),
    )
    assert snapshot.redirects == [{"url": source_site.url("/moved"), "status": 301}]
    assert snapshot.quote_checks.get().state == QuoteState.FOUND


def test_a_redirect_to_a_300_character_address_is_kept_whole(aifabriek, source_site):
    source = cited_source(source_site.url("/long-redirect"))
    check_sources()
    snapshot = latest(source)
    assert snapshot.outcome == "ok"
    assert snapshot.final_url == source_site.url("/long/" + "a" * 294)
    assert len(snapshot.final_url) > 300


def test_a_changed_page_is_flagged_and_every_snapshot_kept(aifabriek, source_site):
    source = cited_source(source_site.url("/changing.html"))
    check_sources()
    first = latest(source)
    assert (first.changed, first.quote_checks.get().state) == (False, QuoteState.FOUND)

    source_site.changing_text = EZ_TEXT.replace(EZ_QUOTE, "De investering wordt later bekeken.")
    output = check_sources()
    second = latest(source)
    assert second.changed is True
    assert second.sha256 != first.sha256
    assert second.quote_checks.get().state == QuoteState.NOT_FOUND
    assert "TEXT CHANGED since first archived" in output

    check_sources()
    third = latest(source)
    assert third.changed is True
    # The same text again is not kept twice: the third snapshot points to the second's.
    assert (third.text, third.text_in) == ("", second)
    assert "De investering wordt later bekeken." in third.archived_text
    first.refresh_from_db()
    assert EZ_QUOTE in first.text
    assert source.snapshots.count() == 3


def test_with_the_setting_off_loopback_and_metadata_addresses_get_no_request(
    aifabriek, source_site, settings, connections
):
    settings.SOURCE_CHECK_ALLOWED_NETWORKS = []
    loopback = cited_source(source_site.url("/ez.html"))
    metadata = cited_source("http://169.254.169.254/latest/meta-data/")
    check_sources()
    assert latest(loopback).outcome == latest(metadata).outcome == SnapshotOutcome.REFUSED
    assert latest(metadata).detail == (
        "169.254.169.254 resolves to 169.254.169.254, which is not a public address"
    )
    assert source_site.requests == []
    assert connections == []


def test_without_network_each_address_is_unavailable_and_nothing_changes(
    aifabriek, monkeypatch, connections
):
    Source.objects.filter(key=EZ).update(url="https://www.rijksoverheid.nl/actueel/nieuws/ez")
    Source.objects.filter(key=DEFENSIE).update(url="https://www.defensie.nl/actueel/nieuws/ai")

    def no_network(*args, **kwargs):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    before = funding_records()
    output = check_sources()
    assert output.splitlines()[-1] == (
        "Checked 2 source(s): 2 unavailable; 0 changed since first archived. "
        "Quoted passages: 0 found, 0 not found, 20 with the source unavailable."
    )
    assert funding_records() == before
    assert connections == []


def test_the_programme_option_checks_only_the_sources_it_cites(aifabriek):
    other = ProgrammeFactory(slug="andere-regeling")
    source = SourceFactory()
    ContributionSource.objects.create(
        contribution=ContributionFactory(programme=other), source=source, quote="Een zin."
    )
    output = check_sources("--programme", "andere-regeling")
    assert list(SourceSnapshot.objects.values_list("source", flat=True)) == [source.pk]
    assert output.splitlines()[-1] == (
        "Checked 1 source(s): 1 unavailable; 0 changed since first archived. "
        "Quoted passages: 0 found, 0 not found, 1 with the source unavailable."
    )


def test_an_unknown_programme_is_refused_with_its_slug(aifabriek):
    with pytest.raises(CommandError, match="No programme has the slug 'nope'; nothing was checked"):
        check_sources("--programme", "nope")
    assert not SourceSnapshot.objects.exists()


def test_attention_lists_broken_changed_and_missing_per_programme(
    aifabriek, source_site, django_assert_num_queries
):
    broken = cited_source(source_site.url("/missing"))
    wrong = cited_source(source_site.url("/ez.html"), quote="Een zin die er niet staat.")
    check_sources()
    with django_assert_num_queries(1):
        attention = sources_needing_attention(frozenset({aifabriek.pk}))
    entries = {entry.source: entry for entry in attention[aifabriek.pk]}
    assert set(entries) == {broken, wrong}
    assert (entries[broken].broken, entries[broken].missing) == (True, [])
    assert entries[wrong].broken is False
    assert [check.quote for check in entries[wrong].missing] == ["Een zin die er niet staat."]
    assert sources_needing_attention(frozenset({aifabriek.pk + 1})) == {}
    assert set(sources_needing_attention(None)) == {aifabriek.pk}
