from django.db.models import Count, Q, Sum

from funding.models import ContributionStatus
from funding.models.contributions import COUNTED_AS_COMMITTED
from funding.models.money import ZERO


def contribution_totals(queryset) -> list[dict]:
    """Totals of the contributions in `queryset` per currency, summed in the database.

    Two queries whatever the number of rows: the amounts by status, and the payments.
    """
    rows = list(
        queryset.order_by()
        .values("programme__currency")
        .annotate(
            count=Count("pk"),
            committed=Sum("amount", filter=Q(status__in=COUNTED_AS_COMMITTED), default=ZERO),
            pending=Sum("amount", filter=Q(status=ContributionStatus.REQUESTED), default=ZERO),
            withdrawn=Sum("amount", filter=Q(status=ContributionStatus.WITHDRAWN), default=ZERO),
        )
        .order_by("programme__currency")
    )
    # Joined from the contributions (filtered as they are) to their payments: one pass over
    # the contributions, where `payment.contribution IN (contributions)` needed two.
    paid = dict(
        queryset.order_by()
        .filter(payments__isnull=False)
        .values_list("programme__currency")
        .annotate(total=Sum("payments__amount"))
    )
    return [
        {
            "currency": row["programme__currency"],
            "count": row["count"],
            "committed": row["committed"],
            "pending": row["pending"],
            "withdrawn": row["withdrawn"],
            "paid": paid.get(row["programme__currency"], ZERO),
        }
        for row in rows
    ]
