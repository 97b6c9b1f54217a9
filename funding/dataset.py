"""Seed the database from a programme data file (JSON), all or nothing.

The data set is seed data, not truth. A programme of the file is loaded only when it is absent
and never was here: once it is in, the database holds the truth, and a later load (every release
runs one) changes nothing, deletes nothing and brings back nothing an admin deleted. A programme
whose slug the kept history knows (deleted, or given another slug) is not loaded again. The whole
file is read every time, so a malformed entry stops the load with an error naming the entry and
field, and the transaction leaves the database as it was.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from funding.fuzzydate import FuzzyDate, FuzzyDateError
from funding.governance.context import seeding
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
    """What a load created, and which programmes of the file it left alone and why."""

    created: dict[str, int] = field(default_factory=dict)
    created_programmes: list[str] = field(default_factory=list)
    # Slugs of programmes in the database (the truth now), and of ones that were here before.
    kept: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)

    def count(self, model) -> None:
        name = str(model._meta.verbose_name_plural)
        self.created[name] = self.created.get(name, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created)


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
        """The English versions (`name_en`) of these text fields that the entry gives."""
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


@dataclass
class Seed:
    """Creates a load's rows; with `writing` off it only reads the entries, for their errors."""

    report: LoadReport
    writing: bool = True

    def create(self, model, entry: Entry, lookup: dict, values: dict, **attributes):
        """The row under `lookup`, created from `values` when absent; a row that is there is
        the database's, and stays as it is.

        `attributes` are set on a new instance before it is saved (for example the status
        change a contribution records).
        """
        if not self.writing:
            return None
        instance = model.objects.filter(**lookup).first()
        if instance is not None:
            return instance
        instance = model(**lookup, **values)
        for name, value in attributes.items():
            setattr(instance, name, value)
        try:
            instance.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            problems = "; ".join(
                f"field '{name}': {' '.join(messages)}"
                for name, messages in error.message_dict.items()
            )
            raise DataFileError(f"{entry.where}, {problems}") from error
        instance.save()
        self.report.count(model)
        return instance


def load_data_file(path: Path = DEFAULT_DATA_FILE) -> LoadReport:
    """Load the programmes of the file at `path` that are absent, in one transaction."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise DataFileError(f"{path}: cannot be read: {error}") from error
    except json.JSONDecodeError as error:
        raise DataFileError(f"{path}: line {error.lineno}: not valid JSON: {error.msg}") from error
    root = Entry(document, str(Path(path).name))
    report = LoadReport()
    try:
        # A seed: only programmes the database never held are created (nothing published is
        # changed), so the four-eyes rule has nothing to guard (funding/governance/context.py).
        with transaction.atomic(), seeding():
            programmes = root.children("programmes")
            absent = [entry for entry in programmes if _is_absent(entry, report)]
            # Sources and organisations are shared: created with an absent programme when
            # missing, else taken as the database has them.
            seed = Seed(report, writing=bool(absent))
            sources = _load_sources(root, seed)
            organisations = _load_organisations(root, seed)
            for programme in programmes:
                # A programme that is here is still read, so a broken file never passes.
                reading = seed if programme in absent else Seed(report, writing=False)
                _load_programme(programme, sources, organisations, reading)
    except DatabaseError as error:
        raise DataFileError(f"{path}: the database refused the data: {error}") from error
    return report


def _is_absent(entry: Entry, report: LoadReport) -> bool:
    """True for a programme this database has never held; notes the others in the report."""
    slug = entry.text("slug")
    if Programme.objects.filter(slug=slug).exists():
        report.kept.append(slug)
        return False
    # The history outlives a deleted programme, and keeps the slug of a renamed one.
    if Programme.history.filter(slug=slug).exists():
        report.gone.append(slug)
        return False
    report.created_programmes.append(slug)
    return True


def _load_sources(root: Entry, seed: Seed) -> dict[str, Source]:
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
        sources[key] = seed.create(
            Source,
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


def _load_organisations(root: Entry, seed: Seed) -> dict[str, Organisation]:
    organisations = {}
    for entry in root.children("organisations"):
        key = entry.text("key")
        organisations[key] = seed.create(
            Organisation,
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


def _load_programme(entry: Entry, sources, organisations, seed: Seed) -> None:
    entry.where = f"{entry.where} ({entry.data.get('slug', '?')})"
    target_source = Entry(entry.data.get("target_source") or {}, f"{entry.where} > target_source")
    programme = seed.create(
        Programme,
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
        _load_contribution(contribution, programme, sources, organisations, seed)
    for partner in entry.children("partners"):
        seed.create(
            PartnerRole,
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
        _load_milestone(milestone, programme, sources, seed)


def _load_contribution(entry: Entry, programme, sources, organisations, seed: Seed) -> None:
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
    contribution = seed.create(
        Contribution,
        entry,
        {"programme": programme, "key": key},
        values,
        status_change=status_change,
    )
    for source, quote in citations:
        seed.create(
            ContributionSource,
            entry,
            {"contribution": contribution, "source": source},
            {"quote": quote},
        )
    for share in entry.children("shares"):
        seed.create(
            ContributionShare,
            share,
            {
                "contribution": contribution,
                "organisation": share.ref("organisation", organisations),
            },
            {"amount": share.money("amount", required=False)},
        )


def _load_milestone(entry: Entry, programme, sources, seed: Seed) -> None:
    entry.where = f"{entry.where} ({entry.data.get('key', '?')})"
    milestone = seed.create(
        Milestone,
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
        seed.create(
            DateEstimate,
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
