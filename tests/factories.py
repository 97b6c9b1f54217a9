from decimal import Decimal

import factory

from funding.models import (
    Contribution,
    ContributionStatus,
    DateEstimate,
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
