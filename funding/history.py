"""Which tables record the history of the funding records, and when any of them last changed."""

from django.db.models import Max, Value

from funding.models import (
    Contribution,
    ContributionShare,
    DateEstimate,
    DecisionEstimate,
    Milestone,
    Organisation,
    PartnerRole,
    Payment,
    Programme,
    Source,
    StatusEvent,
)

HISTORY_MODELS = [
    Programme,
    Contribution,
    ContributionShare,
    Payment,
    Milestone,
    DateEstimate,
    DecisionEstimate,
    PartnerRole,
    Organisation,
    Source,
]


def last_changed():
    """When any funding record last changed, from the edit history; None when there is none.

    One query: the newest moment of each history table, stacked with UNION ALL.
    """

    def newest(queryset, field):
        # Grouped by a constant: one row holding the table's newest moment (NULL when empty).
        return queryset.order_by().annotate(one=Value(1)).values("one").annotate(last=Max(field))

    tables = [newest(model.history.all(), "history_date") for model in HISTORY_MODELS]
    tables.append(newest(StatusEvent.objects.all(), "recorded_at"))
    moments = tables[0].values("last").union(*(t.values("last") for t in tables[1:]), all=True)
    return max(
        (moment for moment in moments.values_list("last", flat=True) if moment), default=None
    )
