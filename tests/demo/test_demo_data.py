from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max

from funding.cache import generation
from funding.demo.data import BIG_SLUG
from funding.models import (
    Contribution,
    ContributionStatus,
    DateEstimate,
    Milestone,
    Organisation,
    PartnerRole,
    Payment,
    Programme,
    Source,
    StatusEvent,
)
from funding.models.contributions import transition_allowed
from tests.support.factories import ContributionFactory, OrganisationFactory

SIZES = ["--programmes", "5", "--contributions", "40", "--big", "25"]


def generate(*extra):
    out = StringIO()
    call_command("generate_demo_data", *SIZES, "--seed", "3", *extra, stdout=out)
    return out.getvalue()


def demo_snapshot():
    """Every generated value that a seed decides, without primary keys or recording times."""
    demo = {"programme__slug__startswith": "demo-"}
    return {
        "programmes": sorted(
            Programme.objects.filter(slug__startswith="demo-").values_list(
                "slug", "name", "target", "is_public", "target_source__key"
            )
        ),
        "contributions": sorted(
            Contribution.objects.filter(**demo).values_list(
                "programme__slug",
                "key",
                "funder__key",
                "instrument",
                "amount",
                "status",
                "is_public",
            )
        ),
        "events": sorted(
            StatusEvent.objects.filter(contribution__programme__slug__startswith="demo-")
            .values_list(
                "contribution__programme__slug",
                "contribution__key",
                "status",
                "effective_on",
                "source__key",
            )
            .order_by("pk")
        ),
        "payments": sorted(
            Payment.objects.filter(contribution__programme__slug__startswith="demo-").values_list(
                "contribution__programme__slug", "contribution__key", "paid_on", "amount"
            )
        ),
        "milestones": sorted(
            Milestone.objects.filter(**demo).values_list("programme__slug", "key", "status")
        ),
        "estimates": sorted(
            DateEstimate.objects.filter(milestone__programme__slug__startswith="demo-").values_list(
                "milestone__programme__slug", "milestone__key", "precision", "year", "period"
            )
        ),
        "partners": sorted(
            PartnerRole.objects.filter(**demo).values_list(
                "programme__slug", "organisation__key", "role", "is_public"
            )
        ),
    }


def aifabriek_snapshot(programme):
    return {
        "programme": Programme.objects.filter(pk=programme.pk).values().get(),
        "contributions": list(programme.contributions.values().order_by("pk")),
        "events": list(StatusEvent.objects.filter(contribution__programme=programme).values()),
        "milestones": list(programme.milestones.values().order_by("pk")),
        "organisations": list(Organisation.objects.exclude(key__startswith="demo-").values()),
        "sources": list(Source.objects.exclude(key__startswith="demo-").values()),
        "history": Contribution.history.count() + Programme.history.count(),
    }


def test_it_generates_the_programmes_and_contributions_asked_for(db):
    output = generate()
    programmes = Programme.objects.filter(slug__startswith="demo-")
    assert programmes.count() == 6
    assert Contribution.objects.filter(programme__in=programmes).count() == 65
    big = Programme.objects.get(slug=BIG_SLUG)
    assert big.name == "Demo subsidieregeling"
    assert big.contributions.count() == 25
    assert set(programmes.exclude(pk=big.pk).values_list("name", flat=True)) == {
        f"Demo programme {n:04}" for n in range(1, 6)
    }
    assert "created 65 contributions" in output
    assert f"/programmes/{BIG_SLUG}/" in output


def test_it_shares_contributions_unevenly(db):
    call_command(
        "generate_demo_data",
        "--programmes",
        "20",
        "--contributions",
        "400",
        "--big",
        "0",
        stdout=StringIO(),
    )
    counts = Programme.objects.annotate(n=Count("contributions")).values_list("n", flat=True)
    assert sum(counts) == 400
    assert max(counts) >= 2 * min(counts)
    assert not Programme.objects.filter(slug=BIG_SLUG).exists()


def test_the_same_seed_gives_the_same_data(db):
    generate()
    first = demo_snapshot()
    generate("--replace")
    assert demo_snapshot() == first
    call_command("generate_demo_data", *SIZES, "--seed", "4", "--replace", stdout=StringIO())
    assert demo_snapshot() != first


def test_it_refuses_to_add_to_existing_demo_data(db):
    generate()
    before = demo_snapshot()
    with pytest.raises(CommandError, match="Demo data exists already; add --replace"):
        generate()
    assert demo_snapshot() == before


def test_replace_removes_only_demo_records(aifabriek):
    other = ContributionFactory(key="not-demo").programme
    generate()
    before = aifabriek_snapshot(aifabriek)
    call_command(
        "generate_demo_data",
        "--programmes",
        "2",
        "--contributions",
        "3",
        "--big",
        "0",
        "--replace",
        stdout=StringIO(),
    )
    assert Programme.objects.filter(slug__startswith="demo-").count() == 2
    assert Contribution.objects.filter(programme__slug__startswith="demo-").count() == 3
    assert aifabriek_snapshot(aifabriek) == before
    assert Contribution.objects.filter(programme=other, key="not-demo").exists()


def test_it_never_touches_the_shipped_data_set(aifabriek):
    before = aifabriek_snapshot(aifabriek)
    generate()
    assert aifabriek_snapshot(aifabriek) == before
    assert not Organisation.objects.filter(key__startswith="demo-", name__contains="Groningen")


def test_replace_refuses_when_other_records_use_demo_funders(aifabriek):
    generate()
    ContributionFactory(programme=aifabriek, funder=Organisation.objects.get(key="demo-funder-001"))
    before = demo_snapshot()
    with pytest.raises(CommandError, match="refer to demo organisations or sources"):
        generate("--replace")
    assert demo_snapshot() == before


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--programmes", "-1"], "--programmes cannot be negative"),
        (["--contributions", "-5"], "--contributions cannot be negative"),
        (["--big", "-2"], "--big cannot be negative"),
        (["--programmes", "0", "--contributions", "3"], "needs at least one programme"),
        (["--programmes", "0", "--contributions", "0", "--big", "0"], "Nothing to generate"),
        (["--programmes", "many"], "invalid int value: 'many'"),
    ],
)
def test_bad_arguments_are_refused_and_change_nothing(db, arguments, message):
    OrganisationFactory()
    with pytest.raises(CommandError, match=message):
        call_command("generate_demo_data", *arguments, stdout=StringIO())
    assert not Programme.objects.exists()
    assert Organisation.objects.count() == 1


def test_totals_in_the_database_agree_with_what_was_generated(demo_portfolio):
    report = demo_portfolio()
    programmes = Programme.objects.with_totals()
    totals = {
        name: sum(getattr(programme, name) for programme in programmes)
        for name in ("committed", "pending", "disbursed")
    }
    assert totals == {
        "committed": report.committed,
        "pending": report.pending,
        "disbursed": report.disbursed,
    }
    assert report.committed > report.disbursed > Decimal("0")
    assert report.pending > Decimal("0")
    assert report.created[Contribution] == Contribution.objects.count()
    assert report.created[StatusEvent] == StatusEvent.objects.count()
    assert report.created[Payment] == Payment.objects.count()


def test_payments_follow_the_rules(demo_portfolio):
    demo_portfolio()
    # Compared in Python: SQLite sums amounts with cents as floats, a cent's fraction apart.
    contributions = list(Contribution.objects.with_disbursed())
    assert all(c.disbursed <= c.amount for c in contributions)
    disbursed = [c for c in contributions if c.status == ContributionStatus.DISBURSED]
    assert disbursed
    assert all(c.disbursed == c.amount for c in disbursed)
    partly = [c for c in contributions if c.status == ContributionStatus.COMMITTED and c.disbursed]
    assert partly
    assert all(c.disbursed < c.amount for c in partly)
    assert not Payment.objects.exclude(
        contribution__status__in=[ContributionStatus.COMMITTED, ContributionStatus.DISBURSED]
    ).exists()


def test_status_events_follow_the_allowed_transitions(demo_portfolio):
    demo_portfolio()
    events = {}
    for contribution, status in StatusEvent.objects.order_by("pk").values_list(
        "contribution_id", "status"
    ):
        events.setdefault(contribution, []).append(status)
    for contribution in Contribution.objects.all():
        statuses = events[contribution.pk]
        assert statuses[0] == ContributionStatus.REQUESTED
        assert statuses[-1] == contribution.status
        assert all(transition_allowed(a, b) for a, b in zip(statuses, statuses[1:], strict=False))
    years = StatusEvent.objects.dates("effective_on", "year")
    assert len(years) >= 3
    disbursed_on = (
        StatusEvent.objects.filter(status=ContributionStatus.DISBURSED, effective_on__isnull=False)
        .annotate(last_paid=Max("contribution__payments__paid_on"))
        .filter(last_paid=F("effective_on"))
    )
    assert (
        disbursed_on.count()
        == StatusEvent.objects.filter(
            status=ContributionStatus.DISBURSED, effective_on__isnull=False
        ).count()
    )


def test_some_generated_records_are_not_public(demo_portfolio):
    demo_portfolio()
    assert Contribution.objects.filter(is_public=False).exists()
    assert Contribution.objects.filter(is_public=True).exists()
    assert Milestone.objects.filter(is_public=False).exists()
    assert DateEstimate.objects.filter(source__isnull=False).count() == DateEstimate.objects.count()
    assert Programme.objects.get(slug=BIG_SLUG).is_public


def test_estimates_span_what_their_fuzzy_date_says(demo_portfolio):
    demo_portfolio()
    for estimate in DateEstimate.objects.all():
        fuzzy = estimate.fuzzy_date
        assert (estimate.earliest, estimate.latest) == (fuzzy.earliest, fuzzy.latest)


def test_public_pages_show_the_data_at_once(client, db):
    client.get("/")
    token = generation()
    generate()
    assert generation() != token
    response = client.get(f"/programmes/{BIG_SLUG}/")
    assert response.status_code == 200
    assert "Demo subsidieregeling" in response.text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics: PostgreSQL")
def test_postgresql_learns_the_table_sizes_at_once(db):
    # Where autovacuum is off or behind, the planner would take the new rows for an empty table.
    generate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'funding_contribution'")
        (estimated,) = cursor.fetchone()
    assert estimated == Contribution.objects.count()
