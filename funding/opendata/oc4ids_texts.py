"""The sentences of the OC4IDS documents (funding/opendata/oc4ids.py), in Dutch and in English.

A package of a subsidy scheme writes ten thousand of them in each language, so the words are
translated once per language (`phrases`) rather than by switching the active language for each.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache

from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from funding.formatting import format_money
from funding.languages import ORIGINAL_LANGUAGE, in_language
from funding.models import ContributionStatus, MilestoneStatus

ENGLISH = "en"
LANGUAGES = (ORIGINAL_LANGUAGE, ENGLISH)


@dataclass(frozen=True)
class Phrases:
    """The words of one language."""

    language: str
    statuses: dict[str, str]
    milestone_statuses: dict[str, str]
    months: dict[int, str]
    on_day: str
    expected: str
    sources_differ: str

    def day(self, day: date) -> str:
        """ "4 september 2021", "4 September 2021"."""
        return f"{day.day} {self.months[day.month]} {day.year}"

    def active(self):
        """The language made active, for what Django formats itself (money, fuzzy dates)."""
        return translation.override(self.language)


@cache
def phrases(language: str) -> Phrases:
    with translation.override(language):
        return Phrases(
            language=language,
            statuses={code: capfirst(str(label)) for code, label in ContributionStatus.choices},
            milestone_statuses={
                code: capfirst(str(label)) for code, label in MilestoneStatus.choices
            },
            months={number: str(name) for number, name in MONTHS.items()},
            on_day=_("%(status)s on %(day)s."),
            expected=_("Expected %(when)s according to “%(source)s”."),
            sources_differ=_("The sources differ: the period spans every estimate."),
        )


def written(field: str, build: Callable[[Phrases], str]) -> dict:
    """`field` as `build` writes it in the document's language, and `<field>_en` in English."""
    texts = {}
    for language, name in zip(LANGUAGES, (field, f"{field}_en"), strict=True):
        text = build(phrases(language))
        if text:
            texts[name] = text
    return texts


def sentence(text: str) -> str:
    """The text ending in a full stop, to be followed by another."""
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else f"{text}."


def joined(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def co_funders_text(shares, currency: str, words: Phrases) -> str:
    """Who shares the contribution, with the amounts that were published and no others."""
    with words.active():
        names = ", ".join(
            in_language(share.organisation, "name", words.language).text
            + ("" if share.amount is None else f" ({format_money(share.amount, currency)})")
            for share in shares
        )
        if all(share.amount is not None for share in shares):
            return _("Co-funders: %(names)s.") % {"names": names}
        return _(
            "Co-funders: %(names)s. The split between them has not been published, so no "
            "amount is given for each."
        ) % {"names": names}


def contribution_text(records, currency: str, since: date | None, words: Phrases) -> str:
    """The contribution's status (and since when, if recorded), budget line, notes, co-funders."""
    contribution = records.contribution
    status = words.statuses[contribution.status]
    return joined(
        words.on_day % {"status": status, "day": words.day(since)} if since else f"{status}.",
        sentence(in_language(contribution, "instrument", words.language).text),
        sentence(in_language(contribution, "notes", words.language).text),
        co_funders_text(records.shares, currency, words) if records.shares else "",
    )


def budget_text(programme, words: Phrases) -> str:
    currency = programme.currency
    with words.active():
        return _(
            "Target: %(target)s. Committed (disbursed included): %(committed)s; requested, not "
            "yet decided: %(pending)s; paid out so far: %(disbursed)s. Withdrawn contributions "
            "count in no total."
        ) % {
            "target": format_money(programme.target, currency),
            "committed": format_money(programme.committed, currency),
            "pending": format_money(programme.pending, currency),
            "disbursed": format_money(programme.disbursed, currency),
        }


def breakdown_text(words: Phrases) -> str:
    with words.active():
        return _(
            "One entry per public contribution: its funder (sourceParty), amount and status. "
            "Only committed and disbursed contributions are secured; requested ones await a "
            "decision and withdrawn ones count in no total."
        )


def estimate_label(estimate, words: Phrases) -> str:
    with words.active():
        return estimate.fuzzy_date.label()


def milestone_text(milestone, estimates, words: Phrases) -> str:
    """Its description, a delay or cancellation, and each source's estimate; where the sources
    disagree, that they do."""
    status = ""
    if milestone.status in (MilestoneStatus.DELAYED, MilestoneStatus.CANCELLED):
        status = f"{words.milestone_statuses[milestone.status]}."
    expected = [
        words.expected % {"when": estimate_label(estimate, words), "source": estimate.source.title}
        for estimate in estimates
    ]
    differ = len({(estimate.earliest, estimate.latest) for estimate in estimates}) > 1
    return joined(
        sentence(in_language(milestone, "description", words.language).text),
        status,
        *expected,
        words.sources_differ if differ else "",
    )
