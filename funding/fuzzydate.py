"""Dates as sources give them: "begin 2026", "Q3 2026", "in 2026", or an exact day.

A fuzzy date is a precision, a year and, for some precisions, a period within the year. It spans
the earliest to the latest day it can mean, which is what it sorts by, and it is written back the
way people say it in the active language.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Precision(models.TextChoices):
    YEAR = "year", gettext_lazy("year")
    PART = "part", gettext_lazy("early, mid or late in a year")
    HALF = "half", gettext_lazy("half year")
    QUARTER = "quarter", gettext_lazy("quarter")
    MONTH = "month", gettext_lazy("month")
    DAY = "day", gettext_lazy("day")


# How many periods a year has at each precision, and the months each period covers.
PERIODS_PER_YEAR = {Precision.PART: 3, Precision.HALF: 2, Precision.QUARTER: 4, Precision.MONTH: 12}
# "Begin", "medio" and "eind" split the year in thirds: Jan-Apr, May-Aug, Sep-Dec.
PART_MONTHS = {1: (1, 4), 2: (5, 8), 3: (9, 12)}

PART_WORDS = {
    "begin": 1,
    "early": 1,
    "start": 1,
    "medio": 2,
    "mid": 2,
    "midden": 2,
    "eind": 3,
    "end": 3,
    "late": 3,
}
FUZZY_PATTERNS = [
    (re.compile(r"^(?:in\s+)?(\d{4})$"), Precision.YEAR),
    (re.compile(r"^(begin|early|start|medio|mid|midden|eind|end|late)\s+(\d{4})$"), Precision.PART),
    (re.compile(r"^h([12])\s+(\d{4})$"), Precision.HALF),
    (re.compile(r"^q([1-4])\s+(\d{4})$"), Precision.QUARTER),
    (re.compile(r"^(\d{4})-(\d{2})$"), Precision.MONTH),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), Precision.DAY),
]


class FuzzyDateError(ValueError):
    """A text that does not read as a fuzzy date."""


@dataclass(frozen=True)
class FuzzyDate:
    precision: str
    year: int
    period: int | None = None
    day: date | None = None

    def __post_init__(self):
        if self.precision == Precision.DAY:
            if self.day is None:
                raise FuzzyDateError("a day-precision date needs its day")
            return
        if self.precision == Precision.YEAR:
            if self.period is not None:
                raise FuzzyDateError("a year has no period")
            return
        periods = PERIODS_PER_YEAR.get(self.precision)
        if periods is None:
            raise FuzzyDateError(f"unknown precision {self.precision!r}")
        if self.period is None or not 1 <= self.period <= periods:
            raise FuzzyDateError(f"a {self.precision} period runs from 1 to {periods}")

    @classmethod
    def parse(cls, text: str) -> "FuzzyDate":
        """Read "2026", "begin 2026", "eind 2026", "H1 2026", "Q3 2026", "2026-05", "2026-05-14"."""
        normal = " ".join(str(text).strip().lower().split())
        for pattern, precision in FUZZY_PATTERNS:
            match = pattern.match(normal)
            if not match:
                continue
            groups = match.groups()
            try:
                if precision == Precision.YEAR:
                    return cls(precision, int(groups[0]))
                if precision == Precision.PART:
                    return cls(precision, int(groups[1]), PART_WORDS[groups[0]])
                if precision in (Precision.HALF, Precision.QUARTER):
                    return cls(precision, int(groups[1]), int(groups[0]))
                if precision == Precision.MONTH:
                    return cls(precision, int(groups[0]), int(groups[1]))
                day = date(int(groups[0]), int(groups[1]), int(groups[2]))
                return cls(precision, day.year, day=day)
            except ValueError as error:
                raise FuzzyDateError(f"{text!r} is not a real date: {error}") from error
        raise FuzzyDateError(
            f"{text!r} is not a date; write e.g. 2026, begin 2026, eind 2026, Q3 2026, "
            "2026-05 or 2026-05-14"
        )

    def _month_span(self) -> tuple[int, int]:
        if self.precision == Precision.YEAR:
            return 1, 12
        if self.precision == Precision.PART:
            return PART_MONTHS[self.period]
        if self.precision == Precision.HALF:
            return (1, 6) if self.period == 1 else (7, 12)
        if self.precision == Precision.QUARTER:
            return 3 * self.period - 2, 3 * self.period
        return self.period, self.period

    @property
    def earliest(self) -> date:
        if self.day:
            return self.day
        return date(self.year, self._month_span()[0], 1)

    @property
    def latest(self) -> date:
        if self.day:
            return self.day
        last_month = self._month_span()[1]
        return date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def label(self) -> str:
        """The date as people say it, in the active language: "begin 2026" or "early 2026"."""
        year = self.year
        if self.precision == Precision.YEAR:
            return str(year)
        if self.precision == Precision.PART:
            return {
                1: _("early %(year)s"),
                2: _("mid %(year)s"),
                3: _("late %(year)s"),
            }[self.period] % {"year": year}
        if self.precision == Precision.HALF:
            text = _("first half of %(year)s") if self.period == 1 else _("second half of %(year)s")
            return text % {"year": year}
        if self.precision == Precision.QUARTER:
            return _("Q%(quarter)s %(year)s") % {"quarter": self.period, "year": year}
        if self.precision == Precision.MONTH:
            return date_format(self.earliest, "F Y")
        return date_format(self.day, "j F Y")

    def __str__(self) -> str:
        return self.label()
