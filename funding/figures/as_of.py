"""As of which day a programme's figures hold: the day its newest change was recorded.

Defined in docs/decisions.md ("As of"): the newest moment in the history of the records a
page's figures are made of (the programme, its contributions with their status events, co-funder
shares and payments, its milestones with their date estimates, its partners), taken in the
site's time zone. Public pages and the open data count public records only, and only versions
recorded while the record was public; the staff pages count every record. A decision takes
effect on or before the day it is recorded (no date in the future is accepted), so this day is
also never earlier than any date a source gives for the figures.

One query for any number of programmes: the newest moment of each table per programme, stacked
with UNION ALL and reduced per programme.
"""

from datetime import UTC, date, datetime

from django.db import connection
from django.db.models import F, Max, Q
from django.http import HttpResponseBase
from django.utils import timezone

from funding.conditional import AS_OF_HEADER
from funding.models import (
    Contribution,
    ContributionShare,
    DateEstimate,
    Milestone,
    PartnerRole,
    Payment,
    Programme,
    StatusEvent,
)


def _newest_per_programme(public_only: bool, programmes: Q | None):
    """(programme id, newest moment) per table, as querysets to stack."""

    def history(model):
        return model.history.model.objects

    own = Q(is_public=True) if public_only else Q()
    tables = [
        (history(Programme).filter(own), "id", "history_date", None),
        (history(Contribution).filter(own), "programme_id", "history_date", "contribution"),
        (history(Milestone).filter(own), "programme_id", "history_date", "milestone"),
        (history(PartnerRole).filter(own), "programme_id", "history_date", "partner"),
        (history(ContributionShare), "contribution__programme_id", "history_date", "parent"),
        (history(Payment), "contribution__programme_id", "history_date", "parent"),
        (history(DateEstimate), "milestone__programme_id", "history_date", "parent"),
        (StatusEvent.objects, "contribution__programme_id", "recorded_at", "parent"),
    ]
    for rows, programme, moment, record in tables:
        if public_only and record == "parent":
            parent = programme.removesuffix("__programme_id")
            rows = rows.filter(**{f"{parent}__is_public": True})
        elif public_only and record is not None:
            # Only records that are public now: a hidden one is not part of the figures.
            current = {"contribution": Contribution, "milestone": Milestone, "partner": PartnerRole}
            rows = rows.filter(id__in=current[record].objects.filter(is_public=True).values("pk"))
        if programmes is not None:
            rows = rows.filter(
                **{f"{programme}__in": Programme.objects.filter(programmes).values("pk")}
            )
        yield (
            rows.order_by()
            .values(programme_key=F(programme))
            .annotate(newest=Max(moment))
            .values("programme_key", "newest")
        )


def newest_changes(*, public_only: bool, programmes: Q | None = None) -> dict[int, datetime]:
    """Per programme (id), the moment its newest change was recorded; one query."""
    parts, params = [], []
    for rows in _newest_per_programme(public_only, programmes):
        sql, part_params = rows.query.sql_with_params()
        parts.append(sql)
        params += part_params
    stacked = " UNION ALL ".join(
        f"SELECT * FROM ({part}) AS part_{n}" for n, part in enumerate(parts)
    )
    sql = f"SELECT programme_key, MAX(newest) FROM ({stacked}) AS moments GROUP BY programme_key"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return {programme: _moment(newest) for programme, newest in found if newest is not None}


def _moment(value) -> datetime:
    # SQLite hands back text from raw SQL.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
        if timezone.is_naive(value):
            value = value.replace(tzinfo=UTC)
    return value


def day_of(moment: datetime | None) -> date | None:
    return None if moment is None else timezone.localtime(moment).date()


def programme_as_of(programme: Programme, *, public_only: bool) -> date | None:
    """The day the programme's figures hold as of; None when nothing has been recorded."""
    moments = newest_changes(public_only=public_only, programmes=Q(pk=programme.pk))
    return day_of(moments.get(programme.pk))


def public_as_of_by_programme() -> dict[int, date]:
    """Per public programme, the day its public figures hold as of."""
    moments = newest_changes(public_only=True, programmes=Q(is_public=True))
    return {programme: day_of(moment) for programme, moment in moments.items()}


# Downloads say the day their figures hold as of in a header (AS_OF_HEADER) and in the file's
# name, not in the file: a comment line would trip CSV readers, and a column would repeat it on
# every row.
def with_as_of(response: HttpResponseBase, as_of: date | None, *, filename: str, extension: str):
    """An attachment named `<filename>-as-of-<day>.<extension>`, with the day in a header."""
    if as_of is not None:
        response[AS_OF_HEADER] = as_of.isoformat()
        filename = f"{filename}-as-of-{as_of.isoformat()}"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response
