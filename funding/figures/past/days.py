"""The day a past page stands for: read from `?on=YYYY-MM-DD`, and the moment that day ended."""

import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone

# The query parameter, and its one form: four-digit year, month and day. Python's own ISO
# reader also takes "20261001" and week dates ("2026-W40-4"), which no link of ours makes.
ON = "on"
DAY_FORMAT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


class BadDay(ValueError):
    """`?on=` holds something that is not a day written YYYY-MM-DD."""


def requested_day(value: str | None) -> date | None:
    """The day `?on=` names; None when it is absent. Raises BadDay for anything else (empty,
    13th months, year 0, letters, a NUL, long strings)."""
    if value is None:
        return None
    if len(value) != 10 or not DAY_FORMAT.match(value):
        raise BadDay(value[:20])
    try:
        return date.fromisoformat(value)
    except ValueError as error:  # month 13, day 32, year 0
        raise BadDay(value) from error


def past_day(value: str | None, *, today: date | None = None) -> date | None:
    """The past day `?on=` asks for; None for today's page (absent, today, or a day to come).
    Raises BadDay when the value is not a day."""
    day = requested_day(value)
    today = today or timezone.localdate()
    return day if day is not None and day < today else None


def end_of(day: date) -> datetime:
    """The moment the day ended in the site's time zone (Europe/Amsterdam): the next midnight.
    A page "as it stood on the day" holds what was recorded before it."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def on_query(day: date) -> str:
    """The query string that asks for the page as it stood on `day`: "on=2026-10-01"."""
    return f"{ON}={day.isoformat()}"
