"""The page as it stood on a day equals the page as it was shown that day.

The shipped data set and a generated history are replayed step by step under a frozen clock
(several steps a day, some just before and just after midnight in Amsterdam); after each day the
public page's figures are recorded. Then, days later, each day's page is rebuilt from history
(`?on=`) and must hold the same figures.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from funding.figures.past.page import NotPublicThen, past_programme_page
from funding.figures.summaries import public_programme_page
from funding.models import (
    Contribution,
    ContributionShare,
    ContributionStatus,
    DateEstimate,
    Milestone,
    MilestoneStatus,
    Organisation,
    PartnerRole,
    Payment,
    Programme,
    Role,
    Source,
)
from funding.models.contributions import ALLOWED_TRANSITIONS, StatusChange
from tests.support.clock import FrozenClock
from tests.support.dataset import AIFABRIEK, load_for_tests
from tests.support.past_pages import page_figures

FIRST_DAY = date(2026, 3, 2)
PAGE_SIZE = 100


def _reload(record):
    return type(record).objects.get(pk=record.pk)


def _shipped_steps(programme: Programme):
    """Edits of the shipped records, one function per step, as an admin would make them."""
    source = Source.objects.get(key="ez-ai-fabriek-200-miljoen")

    def amount_of_nij_begun():
        nij_begun = _reload(programme.contributions.get(key="nij-begun"))
        nij_begun.amount = Decimal("65000000.00")
        nij_begun.save()

    def eu_committed():
        eu = programme.contributions.get(key="eu-cofinanciering")
        eu.status = ContributionStatus.COMMITTED
        eu.status_change = StatusChange(source=source, quote="toegekend")
        eu.save()

    def payment_on_rijk():
        rijk = programme.contributions.get(key="rijk")
        Payment(contribution=rijk, paid_on=date(2026, 3, 4), amount=Decimal("10000000.00")).save()

    def unpublish_nij_begun():
        nij_begun = programme.contributions.get(key="nij-begun")
        nij_begun.is_public = False
        nij_begun.save()

    def republish_nij_begun():
        nij_begun = programme.contributions.get(key="nij-begun")
        nij_begun.is_public = True
        nij_begun.amount = Decimal("61000000.00")
        nij_begun.save()

    def share_published():
        share = ContributionShare.objects.get(
            contribution__key="rijk", organisation__key="ministerie-ez"
        )
        share.amount = Decimal("40000000.00")
        share.save()

    def new_milestone():
        milestone = Milestone.objects.create(
            programme=programme, key="eerste-rekenjob", title="Eerste rekenjob", position=9
        )
        DateEstimate(milestone=milestone, precision="year", year=2027, source=source).save()

    def estimate_moved():
        estimate = DateEstimate.objects.get(milestone__key="eerste-rekenjob")
        estimate.precision, estimate.year, estimate.period = "half", 2027, 2
        estimate.save()

    def milestone_done_and_hidden():
        done = programme.milestones.get(key="expertisecentrum-start")
        done.status, done.reached_on = MilestoneStatus.DONE, date(2026, 3, 6)
        done.save()
        hidden = programme.milestones.get(key="ai-fabriek-in-gebruik")
        hidden.is_public = False
        hidden.save()

    def partners_change():
        host = Organisation.objects.get(key="tno")
        PartnerRole.objects.create(programme=programme, organisation=host, role=Role.HOST)
        programme.partners.get(organisation__key="surf").delete()

    def target_raised():
        current = _reload(programme)
        current.target = Decimal("250000000.00")
        current.save()

    def new_request_and_removal():
        Contribution.objects.create(
            programme=programme,
            key="provincie",
            funder=Organisation.objects.get(key="regio-groningen-noord-drenthe"),
            amount=Decimal("5000000.00"),
        )
        programme.contributions.get(key="eu-cofinanciering").delete()

    return [
        amount_of_nij_begun,
        eu_committed,
        payment_on_rijk,
        unpublish_nij_begun,
        republish_nij_begun,
        share_published,
        new_milestone,
        estimate_moved,
        milestone_done_and_hidden,
        partners_change,
        target_raised,
        new_request_and_removal,
    ]


def _generated_step(rng: random.Random, programme: Programme, n: int):
    """One edit chosen at random: an amount, a status, a publication, a new contribution, a
    payment, a milestone's publication or estimate."""
    contributions = list(programme.contributions.order_by("pk"))
    funders = list(Organisation.objects.order_by("pk"))
    choice = rng.randrange(7)
    if choice == 0 or not contributions:
        Contribution.objects.create(
            programme=programme,
            key=f"generated-{n}",
            funder=rng.choice(funders),
            amount=Decimal(rng.randrange(100_000, 9_000_000)) / 100,
            is_public=rng.random() < 0.8,
        )
        return
    contribution = rng.choice(contributions)
    if choice == 1 and not contribution.payments.exists():
        contribution.amount = Decimal(rng.randrange(100_000, 9_000_000)) / 100
        contribution.save()
    elif choice == 2:
        allowed = sorted(ALLOWED_TRANSITIONS[contribution.status])
        new = rng.choice(allowed)
        if new in (ContributionStatus.REQUESTED, ContributionStatus.WITHDRAWN) and (
            contribution.payments.exists()
        ):
            return
        if new == ContributionStatus.DISBURSED:
            return  # made by payments reaching the amount
        contribution.status = new
        contribution.save()
    elif choice == 3:
        contribution.is_public = not contribution.is_public
        contribution.save()
    elif choice == 4 and contribution.status == ContributionStatus.COMMITTED:
        room = contribution.amount - contribution.paid_total()
        part = (room / 2).quantize(Decimal("0.01")) if rng.random() < 0.7 else room
        if part > 0:
            Payment(contribution=contribution, paid_on=date(2026, 1, 1), amount=part).save()
    elif choice == 5:
        milestone = rng.choice(list(programme.milestones.order_by("pk")))
        milestone.is_public = not milestone.is_public
        milestone.save()
    elif choice == 6:
        estimate = rng.choice(list(DateEstimate.objects.filter(milestone__programme=programme)))
        estimate.precision, estimate.year, estimate.period = "quarter", rng.choice([2026, 2027]), 3
        estimate.save()


@pytest.mark.django_db
def test_every_day_of_a_replayed_history_rebuilds_to_the_page_shown_that_day(monkeypatch):
    clock = FrozenClock(monkeypatch, FIRST_DAY)
    clock.at(FIRST_DAY, 9)
    load_for_tests()
    programme = Programme.objects.get(slug=AIFABRIEK)
    shown: dict[date, dict] = {}

    def record():
        shown[clock.today] = page_figures(public_programme_page(AIFABRIEK, page_size=PAGE_SIZE))

    record()
    rng = random.Random(21)
    # Wall-clock times within a day: late in the evening and just after midnight are the
    # other side of midnight in UTC.
    times = [(0, 30), (9, 0), (12, 15), (23, 30), (23, 59)]
    day = FIRST_DAY
    steps = _shipped_steps(programme) + [
        (lambda n=n: _generated_step(rng, programme, n)) for n in range(40)
    ]
    for n, step in enumerate(steps):
        if n % 2 == 0:
            day += timedelta(days=1)
        clock.at(day, *times[n % len(times)])
        step()
        record()

    clock.at(day + timedelta(days=3))
    assert len(shown) > 20
    for on, expected in shown.items():
        rebuilt = page_figures(past_programme_page(AIFABRIEK, on=on, page_size=PAGE_SIZE))
        for name, values in expected.items():
            assert rebuilt[name] == values, (on, name)
    # The history holds what the replay changed: the figures moved along the way.
    assert len({values["summary"] for values in shown.values()}) > 10


@pytest.mark.django_db
def test_a_day_before_the_data_set_was_loaded_has_no_page(monkeypatch):
    clock = FrozenClock(monkeypatch, FIRST_DAY)
    clock.at(FIRST_DAY, 0, 10)
    load_for_tests()
    clock.at(FIRST_DAY + timedelta(days=1))

    assert isinstance(
        past_programme_page(AIFABRIEK, on=FIRST_DAY - timedelta(days=1)), NotPublicThen
    )
    page = past_programme_page(AIFABRIEK, on=FIRST_DAY)
    assert page.summary.committed == Decimal("130000000.00")
    assert page.as_of == FIRST_DAY


@pytest.mark.django_db
def test_a_programme_unpublished_on_a_day_has_no_page_for_it(monkeypatch):
    clock = FrozenClock(monkeypatch, FIRST_DAY)
    clock.at(FIRST_DAY)
    load_for_tests()
    clock.at(FIRST_DAY + timedelta(days=1))
    programme = Programme.objects.get(slug=AIFABRIEK)
    programme.is_public = False
    programme.save()
    clock.at(FIRST_DAY + timedelta(days=2))
    programme.is_public = True
    programme.save()
    clock.at(FIRST_DAY + timedelta(days=3))

    assert past_programme_page(AIFABRIEK, on=FIRST_DAY).summary.pending == Decimal("70000000")
    assert isinstance(
        past_programme_page(AIFABRIEK, on=FIRST_DAY + timedelta(days=1)), NotPublicThen
    )


@pytest.mark.django_db
def test_the_shipped_programme_today_rebuilds_to_todays_page(aifabriek):
    from django.utils import timezone

    today = timezone.localdate()
    rebuilt = past_programme_page(AIFABRIEK, on=today, decision_dates=True)
    live = public_programme_page(AIFABRIEK, decision_dates=True)

    assert page_figures(rebuilt) == page_figures(live)
    assert rebuilt.summary.committed == Decimal("130000000.00")
    assert rebuilt.summary.committed_share == Decimal("65.00")
    assert rebuilt.as_of == live.as_of
