"""As of which day a programme's figures hold: the day its newest change was recorded.

Defined in docs/decisions.md ("As of"): the newest moment in the history of the records a
page's figures are made of (the programme, its contributions with their status events, co-funder
shares and payments, its milestones with their date estimates, its partners), taken in the
site's time zone. Public pages and the open data count public records only, and only versions
recorded while the record was public; the staff pages count every record. A decision takes
effect on or before the day it is recorded (no date in the future is accepted), so this day is
also never earlier than any date a source gives for the figures. Which history it counts, and
the rule of what is public, are the registry's (funding/history/registry.py).

One query for any number of programmes: the newest moment of each table per programme, stacked
with UNION ALL and reduced per programme.
"""

from datetime import UTC, date, datetime

from django.db import connection
from django.db.models import F, Max, Q
from django.http import HttpResponseBase
from django.utils import timezone

from funding.conditional import AS_OF_HEADER
from funding.history.registry import AS_OF, gate_model
from funding.models import Programme


def _newest_per_programme(public_only: bool, programmes: Q | None):
    """(programme id, newest moment) per table, as querysets to stack."""
    for kind in AS_OF:
        rows = kind.as_of_rows(public_only=public_only, gate_model=gate_model(kind))
        if programmes is not None:
            rows = rows.filter(
                **{f"{kind.programme}__in": Programme.objects.filter(programmes).values("pk")}
            )
        yield (
            rows.order_by()
            .values(programme_key=F(kind.programme))
            .annotate(newest=Max(kind.moment))
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
