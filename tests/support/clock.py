"""A frozen clock for tests that record history at chosen moments.

django-simple-history dates its rows, and `auto_now_add` fields their values, with
`django.utils.timezone.now()`; `localdate()` reads it too. Replacing it moves all of them.
"""

from datetime import date, datetime, time

from django.utils import timezone


class FrozenClock:
    """`timezone.now()` answers `moment` until it is moved; `at()` moves it."""

    def __init__(self, monkeypatch, moment: datetime):
        self.moment = moment
        monkeypatch.setattr(timezone, "now", lambda: self.moment)

    def at(self, day: date, hour: int = 12, minute: int = 0) -> datetime:
        """Move to this wall-clock time on `day` in the site's time zone (Europe/Amsterdam)."""
        self.moment = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        return self.moment

    @property
    def today(self) -> date:
        return timezone.localdate(self.moment)
