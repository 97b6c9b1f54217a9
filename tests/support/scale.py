"""Generated public data for tests of long lists: many programmes, or one with many grants."""

from decimal import Decimal

from funding.models import Contribution, ContributionStatus, Organisation, Programme

STATUSES = [
    ContributionStatus.REQUESTED,
    ContributionStatus.COMMITTED,
    ContributionStatus.DISBURSED,
    ContributionStatus.WITHDRAWN,
]


def many_programmes(count: int) -> list[Programme]:
    """Public programmes "Scale 000" and on, target growing with the number, nothing committed."""
    return Programme.objects.bulk_create(
        Programme(
            name=f"Scale {n:03}",
            slug=f"scale-{n:03}",
            target=Decimal(1000 * (n + 1)),
            is_public=True,
            # Other capabilities' tests; the four-eyes rule has tests of its own.
            four_eyes=False,
        )
        for n in range(count)
    )


def big_programme(contributions: int, *, funders: int = 30) -> Programme:
    """A public programme with this many public contributions, amounts 1,000 + n euros, funders
    "Funder 00" and on in turn, statuses in turn (requested, committed, disbursed, withdrawn)."""
    programme = Programme.objects.create(
        name="Scheme", slug="scheme", target=Decimal("100000000"), is_public=True, four_eyes=False
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(key=f"funder-{n:02}", name=f"Funder {n:02}") for n in range(funders)
    )
    Contribution.objects.bulk_create(
        Contribution(
            programme=programme,
            key=f"grant-{n:05}",
            funder=organisations[n % funders],
            amount=Decimal(1000 + n),
            status=STATUSES[n % len(STATUSES)],
        )
        for n in range(contributions)
    )
    return programme
