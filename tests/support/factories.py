from decimal import Decimal

import factory

from funding.models import (
    Contribution,
    ContributionStatus,
    DateEstimate,
    DecisionEstimate,
    Milestone,
    Organisation,
    Payment,
    Programme,
    Source,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    key = factory.Sequence(lambda n: f"organisation-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Press release {n}")
    publisher = "Rijksoverheid"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    target = Decimal("1000000.00")
    is_public = True
    # The tests of other capabilities build and change their records directly; the four-eyes
    # rule's own tests (tests/admin/test_four_eyes*.py, tests/core/test_four_eyes*.py) turn it on.
    four_eyes = False


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    programme = factory.SubFactory(ProgrammeFactory)
    key = factory.Sequence(lambda n: f"contribution-{n}")
    funder = factory.SubFactory(OrganisationFactory)
    amount = Decimal("100000.00")
    status = ContributionStatus.COMMITTED
    is_public = True


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    contribution = factory.SubFactory(ContributionFactory)
    paid_on = factory.Faker("date_between", start_date="-2y", end_date="today")
    amount = Decimal("1000.00")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    programme = factory.SubFactory(ProgrammeFactory)
    key = factory.Sequence(lambda n: f"milestone-{n}")
    title = factory.Sequence(lambda n: f"Milestone {n}")


class DateEstimateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DateEstimate

    milestone = factory.SubFactory(MilestoneFactory)
    precision = "year"
    year = 2026
    source = factory.SubFactory(SourceFactory)


class DecisionEstimateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionEstimate

    contribution = factory.SubFactory(ContributionFactory, status=ContributionStatus.REQUESTED)
    precision = "year"
    year = 2026
    source = factory.SubFactory(SourceFactory)


class PolicyStaffFactory(factory.django.DjangoModelFactory):
    """A signed-in user in the "Policy staff" group."""

    class Meta:
        model = "auth.User"
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff-{n}")

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        from funding.permissions import POLICY_STAFF

        if create:
            user.groups.add(Group.objects.get(name=POLICY_STAFF))


def contributions_for(programme, count: int, **fields):
    """`count` contributions to one programme from a handful of funders, with a payment each."""
    funders = OrganisationFactory.create_batch(min(count, 5))
    contributions = [
        ContributionFactory(programme=programme, funder=funders[n % len(funders)], **fields)
        for n in range(count)
    ]
    for contribution in contributions:
        PaymentFactory(contribution=contribution)
    return contributions


# More than a page of each list: home (20 a page), portfolio and contributions (25 a page).
PUBLIC_PROGRAMMES = 22
HIDDEN_PROGRAMMES = 4
CONTRIBUTIONS_IN_ONE_PROGRAMME = 27


def small_portfolio():
    """Programmes public and not, one with two pages of contributions, hidden records in it."""
    public = ProgrammeFactory.create_batch(PUBLIC_PROGRAMMES, is_public=True)
    ProgrammeFactory.create_batch(HIDDEN_PROGRAMMES, is_public=False)
    busy = public[0]
    contributions_for(busy, CONTRIBUTIONS_IN_ONE_PROGRAMME - 2)
    ContributionFactory(programme=busy, status=ContributionStatus.REQUESTED)
    ContributionFactory(programme=busy, amount=Decimal("250000.00"), is_public=False)
    DateEstimateFactory(milestone=MilestoneFactory(programme=busy))
    MilestoneFactory(programme=busy, is_public=False)
    return public[0]
