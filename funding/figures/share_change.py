"""Programmes whose committed share fell: today's share against the share as it stood then.

"As it stood" is what the kept history (django-simple-history, funding/history/) says was
recorded at that moment, as "as of" reads it. Only the records changed since then can differ,
so the share then is today's committed amount with those records put back as they were:

    committed then = committed now
                     − what the contributions changed since then count today
                     + what the same contributions counted then (their last version before)

A record that has no history at all (generated portfolios are inserted without it) counts as
unchanged, which it is as far as anyone recorded. A programme that changed since then takes
its target from its last version before; one whose first version came after did not exist
then and has no share then.

Staff figures: every record counts, public or not. Two queries for any number of programmes:
which programmes changed since then (only their share can differ), and for those, the sums as
correlated subqueries of the programme, the rows with their total count.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    When,
    Window,
)
from django.db.models.functions import Round

from funding.models import Contribution, Programme
from funding.models.contributions import COUNTED_AS_COMMITTED
from funding.models.programmes import (
    MONEY_OUTPUT,
    SHARE_FIELD,
    _summed,
    committed_share,
)


@dataclass(frozen=True)
class FallenShare:
    """A programme whose committed share is lower now than it was then (percentages)."""

    pk: int
    slug: str
    name: str
    name_en: str
    share_then: Decimal
    share_now: Decimal


def _committed(contributions):
    """The contributions' amounts summed per programme (contributions or their versions)."""
    return _summed(contributions, group_by="programme", field="amount")


def _last_version_before(history, moment: datetime, **same):
    """A filter keeping each record's last history row recorded before `moment`."""
    later = history.objects.filter(history_date__lt=moment, **same).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    return ~Exists(later)


def with_shares_then(programmes, moment: datetime):
    """Annotate `share_now` and `share_then` (the committed share as it stood at `moment`)."""
    versions = Contribution.history.model
    changed_since = versions.objects.filter(history_date__gte=moment).values("id")
    counted_now = Contribution.objects.filter(status__in=COUNTED_AS_COMMITTED)
    counted_then = (
        versions.objects.filter(history_date__lt=moment)
        .filter(_last_version_before(versions, moment, id=OuterRef("id")))
        .exclude(history_type="-")
        .filter(status__in=COUNTED_AS_COMMITTED)
    )
    programme_versions = Programme.history.model
    target_then = Case(
        When(
            Exists(programme_versions.objects.filter(id=OuterRef("pk"), history_date__gte=moment)),
            then=Subquery(
                programme_versions.objects.filter(id=OuterRef("pk"), history_date__lt=moment)
                .exclude(history_type="-")
                .order_by("-history_date", "-history_id")
                .values("target")[:1],
                output_field=MONEY_OUTPUT,
            ),
        ),
        default=F("target"),
        output_field=MONEY_OUTPUT,
    )
    return programmes.annotate(
        committed_now=_committed(counted_now.filter(programme=OuterRef("pk"))),
        committed_then=F("committed_now")
        - _committed(counted_now.filter(programme=OuterRef("pk"), pk__in=changed_since))
        + _committed(counted_then.filter(programme_id=OuterRef("pk"), id__in=changed_since)),
        target_then=target_then,
    ).annotate(
        share_now=Round(committed_share(F("committed_now")), 2, output_field=SHARE_FIELD),
        share_then=Round(
            committed_share(F("committed_then"), target="target_then"), 2, output_field=SHARE_FIELD
        ),
    )


def changed_programmes(moment: datetime) -> set[int]:
    """The programmes whose share may differ from the one at `moment`: those with a change of
    their own since, or with a contribution changed since (the programme of each of its
    versions, so one moved between programmes counts for both)."""
    versions = Contribution.history.model
    changed = versions.objects.filter(history_date__gte=moment).values("id")
    of_contributions = (
        versions.objects.filter(id__in=changed).order_by().values_list("programme_id", flat=True)
    )
    own = (
        Programme.history.model.objects.filter(history_date__gte=moment)
        .order_by()
        .values_list("id", flat=True)
    )
    return set(of_contributions.union(own))


def fallen_shares(
    programme_ids: frozenset[int] | None, *, since: datetime, offset: int, limit: int
) -> tuple[int, list[FallenShare]]:
    """How many programmes (of `programme_ids`, None for all) have a lower committed share now
    than at `since`, and `limit` of them from `offset`, the largest fall first.

    Two queries: which programmes changed since, and the shares of those only, so the cost
    follows the week's changes rather than the portfolio.
    """
    candidates = changed_programmes(since)
    if programme_ids is not None:
        candidates &= programme_ids
    if not candidates:
        return 0, []
    # Comparing with NULL (no target, then or now) is never true: those are left out.
    fallen = with_shares_then(Programme.objects.filter(pk__in=candidates), since).filter(
        share_then__gt=F("share_now")
    )
    rows = (
        fallen.annotate(found=Window(Count("pk")))
        .order_by((F("share_then") - F("share_now")).desc(), "name", "pk")
        .values("pk", "slug", "name", "name_en", "share_then", "share_now", "found")
    )[offset : offset + limit]
    found = list(rows)
    count = found[0]["found"] if found else 0
    if not found and offset:
        # A page past the end still says how many there are.
        count = fallen.count()
    return count, [
        FallenShare(
            pk=row["pk"],
            slug=row["slug"],
            name=row["name"],
            name_en=row["name_en"],
            share_then=Decimal(row["share_then"]).quantize(Decimal("0.01")),
            share_now=Decimal(row["share_now"]).quantize(Decimal("0.01")),
        )
        for row in found
    ]
