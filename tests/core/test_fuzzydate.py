from datetime import date

import pytest
from django.utils import translation

from funding.fuzzydate import FuzzyDate, FuzzyDateError


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("begin 2026", date(2026, 1, 1), date(2026, 4, 30)),
        ("medio 2026", date(2026, 5, 1), date(2026, 8, 31)),
        ("eind 2026", date(2026, 9, 1), date(2026, 12, 31)),
        ("early 2027", date(2027, 1, 1), date(2027, 4, 30)),
        ("H2 2026", date(2026, 7, 1), date(2026, 12, 31)),
        ("Q1 2026", date(2026, 1, 1), date(2026, 3, 31)),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),
        ("2026-05-14", date(2026, 5, 14), date(2026, 5, 14)),
    ],
)
def test_parse_gives_the_span_of_days(text, earliest, latest):
    fuzzy = FuzzyDate.parse(text)
    assert (fuzzy.earliest, fuzzy.latest) == (earliest, latest)


@pytest.mark.parametrize(
    ("text", "dutch", "english"),
    [
        ("begin 2026", "begin 2026", "early 2026"),
        ("medio 2026", "medio 2026", "mid 2026"),
        ("eind 2026", "eind 2026", "late 2026"),
        ("2026", "2026", "2026"),
        ("Q3 2026", "Q3 2026", "Q3 2026"),
        ("H1 2026", "eerste helft van 2026", "first half of 2026"),
        ("2026-03", "maart 2026", "March 2026"),
        ("2026-05-14", "14 mei 2026", "14 May 2026"),
    ],
)
def test_label_is_written_as_people_say_it(text, dutch, english):
    fuzzy = FuzzyDate.parse(text)
    with translation.override("nl"):
        assert fuzzy.label() == dutch
    with translation.override("en"):
        assert fuzzy.label() == english


def test_fuzzy_dates_sort_by_earliest_then_latest_day():
    texts = ["begin 2027", "eind 2026", "2026", "begin 2026", "Q4 2026", "2026-02-01"]
    ordered = sorted((FuzzyDate.parse(t) for t in texts), key=lambda f: (f.earliest, f.latest))
    with translation.override("nl"):
        assert [f.label() for f in ordered] == [
            "begin 2026",
            "2026",
            "1 februari 2026",
            "eind 2026",
            "Q4 2026",
            "begin 2027",
        ]


@pytest.mark.parametrize("text", ["soon", "Q5 2026", "2026-13", "2026-02-30", "eind", ""])
def test_unreadable_dates_are_refused(text):
    with pytest.raises(FuzzyDateError):
        FuzzyDate.parse(text)
