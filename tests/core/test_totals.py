from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from funding.models import Contribution, ContributionStatus, Programme, StatusChange
from tests.support.factories import (
    ContributionFactory,
    PaymentFactory,
    ProgrammeFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def totals_of(programme, **kwargs):
    return Programme.objects.with_totals(**kwargs).get(pk=programme.pk)


def test_aifabriek_totals_are_exact(aifabriek):
    programme = totals_of(aifabriek)
    assert programme.target == Decimal("200000000.00")
    assert programme.committed == Decimal("130000000.00")
    assert programme.pending == Decimal("70000000.00")
    assert programme.disbursed == Decimal("0.00")
    assert programme.gap == Decimal("70000000.00")
    assert programme.committed_share == Decimal("65.00")


def test_withdrawn_contribution_counts_in_no_total():
    programme = ProgrammeFactory(target=Decimal("500.00"))
    ContributionFactory(programme=programme, amount=Decimal("100.00"), status="committed")
    ContributionFactory(programme=programme, amount=Decimal("40.00"), status="requested")
    withdrawn = ContributionFactory(
        programme=programme, amount=Decimal("999.00"), status="withdrawn"
    )
    PaymentFactory(contribution=withdrawn, amount=Decimal("10.00"))

    totals = totals_of(programme)

    assert (totals.committed, totals.pending, totals.disbursed) == (
        Decimal("100.00"),
        Decimal("40.00"),
        Decimal("0.00"),
    )


def test_disbursed_contribution_still_counts_as_committed():
    programme = ProgrammeFactory(target=Decimal("1000.00"))
    paid = ContributionFactory(programme=programme, amount=Decimal("300.00"), status="disbursed")
    PaymentFactory(contribution=paid, amount=Decimal("120.00"))
    PaymentFactory(contribution=paid, amount=Decimal("180.00"))

    totals = totals_of(programme)

    assert totals.committed == Decimal("300.00")
    assert totals.disbursed == Decimal("300.00")
    assert totals.gap == Decimal("700.00")
    assert totals.committed_share == Decimal("30.00")


def test_public_totals_leave_out_non_public_contributions():
    programme = ProgrammeFactory()
    ContributionFactory(programme=programme, amount=Decimal("100.00"))
    ContributionFactory(programme=programme, amount=Decimal("50.00"), is_public=False)

    assert totals_of(programme).committed == Decimal("150.00")
    assert totals_of(programme, public_only=True).committed == Decimal("100.00")


def test_totals_of_many_programmes_take_one_query(django_assert_num_queries):
    for _ in range(5):
        ContributionFactory(programme=ProgrammeFactory())
    with django_assert_num_queries(1):
        assert len([p.committed for p in Programme.objects.with_totals()]) == 5


def test_gap_is_zero_when_commitments_exceed_target():
    programme = ProgrammeFactory(target=Decimal("100.00"))
    ContributionFactory(programme=programme, amount=Decimal("150.00"))
    assert totals_of(programme).gap == Decimal("0.00")


def test_share_far_beyond_the_target_is_computed_on_every_database():
    # A target typed in euros where millions were meant: the share must not overflow.
    programme = ProgrammeFactory(target=Decimal("200.00"))
    ContributionFactory(programme=programme, amount=Decimal("130000000.00"))
    tiny = ProgrammeFactory(target=Decimal("0.01"))
    ContributionFactory(programme=tiny, amount=Decimal("999999999999.99"))
    assert totals_of(programme).committed_share == Decimal("65000000.00")
    assert totals_of(tiny).committed_share > Decimal("9999999999999000")


def test_share_is_empty_without_a_target():
    programme = ProgrammeFactory(target=Decimal("0.00"))
    ContributionFactory(programme=programme)
    assert totals_of(programme).committed_share is None


@pytest.mark.parametrize(
    "make",
    [
        lambda: ContributionFactory(amount=Decimal("-1.00")),
        lambda: ProgrammeFactory(target=Decimal("-0.01")),
        lambda: PaymentFactory(amount=Decimal("-5.00")),
    ],
    ids=["contribution amount", "programme target", "payment amount"],
)
def test_database_rejects_negative_money(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_new_contribution_records_its_first_status():
    contribution = ContributionFactory(status="requested")
    assert list(contribution.status_events.values_list("status", flat=True)) == ["requested"]


def test_status_change_is_recorded_with_its_date_and_source():
    contribution = ContributionFactory(status="requested")
    decision = SourceFactory(title="EU grant decision")
    contribution = Contribution.objects.get(pk=contribution.pk)
    contribution.status = ContributionStatus.COMMITTED
    contribution.status_change = StatusChange(
        effective_on="2026-09-01", source=decision, quote="granted"
    )
    contribution.save()

    latest = contribution.status_events.order_by("-pk").first()
    assert (latest.status, str(latest.effective_on), latest.source) == (
        "committed",
        "2026-09-01",
        decision,
    )
    assert contribution.status_events.count() == 2


def test_saving_without_a_status_change_records_no_event():
    contribution = Contribution.objects.get(pk=ContributionFactory().pk)
    contribution.notes = "edited"
    contribution.save()
    assert contribution.status_events.count() == 1


def test_rijk_contribution_says_split_not_published(aifabriek):
    rijk = aifabriek.contributions.get(key="rijk")
    assert rijk.amount == Decimal("70000000.00")
    assert rijk.split_published is False
    assert sorted(share.organisation.name for share in rijk.shares.all()) == [
        "Ministerie van Defensie",
        "Ministerie van Economische Zaken",
    ]
    assert all(share.amount is None for share in rijk.shares.all())
    assert {share.organisation.parent.name for share in rijk.shares.all()} == {"Rijksoverheid"}


def test_committed_share_keeps_its_decimals_on_every_database(aifabriek):
    from funding.figures.summaries import FundingSummary

    rijk = aifabriek.contributions.get(key="rijk")
    rijk.amount = Decimal("71000000.00")
    rijk.save()
    programme = Programme.objects.with_totals().get(pk=aifabriek.pk)
    assert FundingSummary.of(programme).committed_share == Decimal("65.50")
