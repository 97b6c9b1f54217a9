"""Load a programme data file (JSON) into the database, all or nothing.

Every record is matched on its key, so loading the same file twice changes nothing: a row is
saved only when a value in the file differs from the database. A malformed entry stops the load
with an error naming the entry and field, and the transaction leaves the database as it was.
Rows that are in the database but not in the file (added by an admin) are left alone.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from funding.fuzzydate import FuzzyDate, FuzzyDateError
from funding.models import (
    Contribution,
    ContributionShare,
    ContributionSource,
    ContributionStatus,
    DateEstimate,
    Milestone,
    MilestoneStatus,
    Organisation,
    OrganisationKind,
    PartnerRole,
    Programme,
    Role,
    Source,
    StatusChange,
)

DEFAULT_DATA_FILE = Path(__file__).resolve().parent / "data" / "aifabriek.json"


class DataFileError(Exception):
    """A data file that cannot be loaded; the message names the entry and the field."""


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, model, outcome: str) -> None:
        tally = self.created if outcome == "created" else self.updated
        name = model._meta.verbose_name_plural
        tally[str(name)] = tally.get(str(name), 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


class Entry:
    """One object of the data file, with its place in the file for error messages."""

    def __init__(self, data, where: str):
        if not isinstance(data, dict):
            raise DataFileError(f"{where}: expected an object, got {type(data).__name__}")
        self.data = data
        self.where = where

    def fail(self, name: str, problem: str):
        raise DataFileError(f"{self.where}, field '{name}': {problem}")

    def text(self, name: str, *, required: bool = True, default: str = "") -> str:
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                self.fail(name, "is missing")
            return default
        if not isinstance(value, str):
            self.fail(name, f"must be text, not {value!r}")
        return value.strip()

    def flag(self, name: str, default: bool) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            self.fail(name, f"must be true or false, not {value!r}")
        return value

    def money(self, name: str, *, required: bool = True) -> Decimal | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.fail(name, "is missing")
            return None
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            self.fail(name, f"{value!r} is not a number")
        if not amount.is_finite() or amount < 0:
            self.fail(name, f"{value!r} must be a number of euros, 0 or more")
        if amount.as_tuple().exponent < -2 or amount >= Decimal("1e12"):
            self.fail(name, f"{value!r} must have at most 12 digits before and 2 after the point")
        return amount.quantize(Decimal("0.01"))

    def integer(self, name: str, *, default: int) -> int:
        value = self.data.get(name, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.fail(name, f"must be a whole number, 0 or more, not {value!r}")
        return value

    def choice(self, name: str, choices, *, default=None) -> str:
        value = self.data.get(name, default)
        if value not in choices.values:
            self.fail(name, f"{value!r} is not one of {', '.join(choices.values)}")
        return value

    def ref(self, name: str, known: dict, *, required: bool = True):
        key = self.data.get(name)
        if key is None and not required:
            return None
        if key not in known:
            self.fail(name, f"{key!r} is not a known key")
        return known[key]

    def english(self, *names: str) -> dict[str, str]:
        """The English versions (`name_en`) of these text fields that the entry gives.

        A field the file leaves out is left as it is in the database: an older file, written
        before English texts existed, does not erase ones an admin has added since.
        """
        return {
            f"{name}_en": self.text(f"{name}_en", required=False)
            for name in names
            if f"{name}_en" in self.data
        }

    def children(self, name: str) -> list["Entry"]:
        items = self.data.get(name, [])
        if not isinstance(items, list):
            self.fail(name, "must be a list")
        return [Entry(item, f"{self.where} > {name}[{index}]") for index, item in enumerate(items)]


def upsert(model, report: LoadReport, entry: Entry, lookup: dict, values: dict, **attributes):
    """Create the row, or update it only where a value differs, so a repeat load writes nothing.

    `attributes` are set on the instance before it is saved without being compared (for example
    the status change a contribution records).
    """
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        outcome = "created"
    else:
        changed = {
            name: value for name, value in values.items() if getattr(instance, name) != value
        }
        if not changed:
            return instance
        for name, value in changed.items():
            setattr(instance, name, value)
        outcome = "updated"
    for name, value in attributes.items():
        setattr(instance, name, value)
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = "; ".join(
            f"field '{name}': {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
        raise DataFileError(f"{entry.where}, {problems}") from error
    instance.save()
    report.count(model, outcome)
    return instance


def load_data_file(path: Path = DEFAULT_DATA_FILE) -> LoadReport:
    """Load the data file at `path` in one transaction and say what was created or updated."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise DataFileError(f"{path}: cannot be read: {error}") from error
    except json.JSONDecodeError as error:
        raise DataFileError(f"{path}: line {error.lineno}: not valid JSON: {error.msg}") from error
    root = Entry(document, str(Path(path).name))
    report = LoadReport()
    try:
        with transaction.atomic():
            sources = _load_sources(root, report)
            organisations = _load_organisations(root, report)
            for programme in root.children("programmes"):
                _load_programme(programme, sources, organisations, report)
    except DatabaseError as error:
        raise DataFileError(f"{path}: the database refused the data: {error}") from error
    return report


def _load_sources(root: Entry, report: LoadReport) -> dict[str, Source]:
    sources = {}
    for entry in root.children("sources"):
        key = entry.text("key")
        published = entry.data.get("published_on")
        if published is not None:
            try:
                published = FuzzyDate.parse(published).day
            except FuzzyDateError:
                published = None
            if published is None:
                entry.fail("published_on", "must be a day written as YYYY-MM-DD, or null")
        sources[key] = upsert(
            Source,
            report,
            entry,
            {"key": key},
            {
                "title": entry.text("title"),
                "publisher": entry.text("publisher"),
                "url": entry.text("url", required=False),
                "published_on": published,
                "language": entry.text("language", required=False, default="nl"),
                **entry.english("title", "publisher"),
            },
        )
    return sources


def _load_organisations(root: Entry, report: LoadReport) -> dict[str, Organisation]:
    organisations = {}
    for entry in root.children("organisations"):
        key = entry.text("key")
        organisations[key] = upsert(
            Organisation,
            report,
            entry,
            {"key": key},
            {
                "name": entry.text("name"),
                "kind": entry.choice("kind", OrganisationKind, default=OrganisationKind.OTHER),
                "parent": entry.ref("parent", organisations, required=False),
                "url": entry.text("url", required=False),
                **entry.english("name"),
            },
        )
    return organisations


def _load_programme(entry: Entry, sources, organisations, report: LoadReport) -> None:
    entry.where = f"{entry.where} ({entry.data.get('slug', '?')})"
    target_source = Entry(entry.data.get("target_source") or {}, f"{entry.where} > target_source")
    programme = upsert(
        Programme,
        report,
        entry,
        {"slug": entry.text("slug")},
        {
            "name": entry.text("name"),
            "description": entry.text("description", required=False),
            "purpose": entry.text("purpose", required=False),
            "location": entry.text("location", required=False),
            "target": entry.money("target"),
            "currency": entry.text("currency", required=False, default="EUR"),
            "target_source": target_source.ref("source", sources, required=False),
            "target_quote": target_source.text("quote", required=False),
            "is_public": entry.flag("public", False),
            **entry.english("name", "description", "purpose", "location"),
        },
    )
    for contribution in entry.children("contributions"):
        _load_contribution(contribution, programme, sources, organisations, report)
    for partner in entry.children("partners"):
        upsert(
            PartnerRole,
            report,
            partner,
            {
                "programme": programme,
                "organisation": partner.ref("organisation", organisations),
                "role": partner.choice("role", Role),
            },
            {
                "description": partner.text("description", required=False),
                "source": partner.ref("source", sources, required=False),
                "quote": partner.text("quote", required=False),
                "is_public": partner.flag("public", True),
                **partner.english("description"),
            },
        )
    for milestone in entry.children("milestones"):
        _load_milestone(milestone, programme, sources, report)


def _load_contribution(entry: Entry, programme, sources, organisations, report) -> None:
    entry.where = f"{entry.where} ({entry.data.get('key', '?')})"
    citations = [
        (citation.ref("source", sources), citation.text("quote", required=False))
        for citation in entry.children("sources")
    ]
    values = {
        "funder": entry.ref("funder", organisations),
        "instrument": entry.text("instrument", required=False),
        "amount": entry.money("amount"),
        "status": entry.choice("status", ContributionStatus),
        "notes": entry.text("notes", required=False),
        "is_public": entry.flag("public", True),
        **entry.english("instrument", "notes"),
    }
    key = entry.text("key")
    # The data file gives no date for a status; the status event cites the first source.
    status_change = (
        StatusChange(source=citations[0][0], quote=citations[0][1]) if citations else None
    )
    contribution = upsert(
        Contribution,
        report,
        entry,
        {"programme": programme, "key": key},
        values,
        status_change=status_change,
    )
    for source, quote in citations:
        upsert(
            ContributionSource,
            report,
            entry,
            {"contribution": contribution, "source": source},
            {"quote": quote},
        )
    for share in entry.children("shares"):
        upsert(
            ContributionShare,
            report,
            share,
            {
                "contribution": contribution,
                "organisation": share.ref("organisation", organisations),
            },
            {"amount": share.money("amount", required=False)},
        )


def _load_milestone(entry: Entry, programme, sources, report) -> None:
    entry.where = f"{entry.where} ({entry.data.get('key', '?')})"
    milestone = upsert(
        Milestone,
        report,
        entry,
        {"programme": programme, "key": entry.text("key")},
        {
            "title": entry.text("title"),
            "description": entry.text("description", required=False),
            "status": entry.choice("status", MilestoneStatus, default=MilestoneStatus.PLANNED),
            "source": entry.ref("source", sources, required=False),
            "quote": entry.text("quote", required=False),
            "position": entry.integer("position", default=0),
            "is_public": entry.flag("public", True),
            **entry.english("title", "description"),
        },
    )
    for estimate in entry.children("estimates"):
        try:
            fuzzy = FuzzyDate.parse(estimate.text("date"))
        except FuzzyDateError as error:
            estimate.fail("date", str(error))
        upsert(
            DateEstimate,
            report,
            estimate,
            {"milestone": milestone, "source": estimate.ref("source", sources)},
            {
                "precision": fuzzy.precision,
                "year": fuzzy.year,
                "period": fuzzy.period,
                "day": fuzzy.day,
                "quote": estimate.text("quote", required=False),
            },
        )
