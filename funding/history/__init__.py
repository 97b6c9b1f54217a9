"""The history of the funding records: the registry of its kinds (`funding.history.registry`),
and when any of them last changed."""

from django.db.models import Max, Value

from funding.history.registry import HISTORY_MODELS, KINDS

__all__ = ["HISTORY_MODELS", "last_changed"]


def last_changed():
    """When any funding record last changed, from the edit history; None when there is none.

    One query: the newest moment of each history table, stacked with UNION ALL.
    """

    def newest(queryset, field):
        # Grouped by a constant: one row holding the table's newest moment (NULL when empty).
        return queryset.order_by().annotate(one=Value(1)).values("one").annotate(last=Max(field))

    tables = [newest(kind.rows.all(), kind.moment) for kind in KINDS.values()]
    moments = tables[0].values("last").union(*(t.values("last") for t in tables[1:]), all=True)
    return max(
        (moment for moment in moments.values_list("last", flat=True) if moment), default=None
    )
