"""The public programmes as OC4IDS 0.9.5 project packages (Open Contracting for Infrastructure
Data Standard), served at /api/programmes/<slug>/oc4ids.json and /api/oc4ids.json.

A programme is a project: its target the budget, each public contribution a budget breakdown
entry with its funder as source party, partners parties, milestones milestones, sources
documents and payments transactions. Where the two models differ, docs/decisions.md ("OC4IDS")
says what was chosen; no amount, day or code is made up that no source gives. Texts are in
Dutch (the project's `language`), with English as `<field>_en` (the standard's language
mechanism). Empty fields are left out, as the standard asks.
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from funding.languages import ORIGINAL_LANGUAGE, translated
from funding.models import ContributionStatus, MilestoneStatus, Role
from funding.models.contributions import COUNTED_AS_COMMITTED
from funding.opendata.documents import page_url
from funding.opendata.oc4ids_records import (
    ContributionRecords,
    MilestoneRecords,
    ProjectRecords,
    project_records,
    public_projects,
    public_projects_page,
)
from funding.opendata.oc4ids_texts import (
    ENGLISH,
    breakdown_text,
    budget_text,
    contribution_text,
    estimate_label,
    milestone_text,
    written,
)

VERSION = "0.9"
# The project identifier prefix: "oc4ids-" and six characters, as the standard's registered
# prefixes are; not registered with the Open Contracting Partnership (docs/api.md).
PROJECT_PREFIX = "oc4ids-aifbrk"
PUBLISHER = "Monitor publieke financiering"
# Projects per page of /api/oc4ids.json. A project carries every one of its contributions (a
# generated programme of a hundred is some 45 kB), and a page should stay near the size of the
# other open-data documents (docs/decisions.md, "OC4IDS").
PROJECTS_PAGE_SIZE = 2
BREAKDOWN_ID = "contributions"
LOCATION_ID = "location"

FUNDER, PAYER = "funder", "payer"
# partyRole is an open codelist: consortium members and applicants have no code in it and get
# codes of their own; a host runs what the project builds (publicAuthority).
PARTY_ROLES = {
    Role.CONSORTIUM_MEMBER: "consortiumMember",
    Role.APPLICANT: "applicant",
    Role.HOST: "publicAuthority",
}
# milestoneStatus is closed: delayed and cancelled milestones are not met (the description
# says which).
MILESTONE_STATUSES = {
    MilestoneStatus.PLANNED: "scheduled",
    MilestoneStatus.DONE: "met",
    MilestoneStatus.DELAYED: "notMet",
    MilestoneStatus.CANCELLED: "notMet",
}


def compact(**fields) -> dict:
    """The fields that have a value: the standard asks for empty ones to be left out."""
    return {name: value for name, value in fields.items() if not _empty(value)}


def _empty(value) -> bool:
    return value is None or value is False or (isinstance(value, str | list | dict) and not value)


def number(amount: Decimal) -> int | float:
    """An amount as the JSON number the standard's Value asks for.

    Amounts have at most 14 digits (funding/models/money.py), fewer than the 15 that a double
    always keeps, so the number written is exactly the decimal stored.
    """
    amount = Decimal(amount)
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def value(amount: Decimal, currency: str) -> dict:
    return {"amount": number(amount), "currency": currency}


def moment(day: date, *, end: bool = False) -> str:
    """A day as the standard's date-time: its first (or last) second in the site's time zone."""
    clock = time(23, 59, 59) if end else time.min
    return timezone.make_aware(datetime.combine(day, clock)).isoformat()


def instant(when: datetime) -> str:
    return timezone.localtime(when).isoformat(timespec="seconds")


def own_texts(record, field: str, name: str = "") -> dict:
    """A record's text and its English version, when one was written."""
    name = name or field
    english = translated(record, field, ENGLISH)
    return compact(**{name: getattr(record, field), f"{name}_en": english and english.text})


class Parties:
    """The project's parties: one per organisation, with every role it has."""

    def __init__(self):
        self.found = {}

    def add(self, organisation, role: str) -> dict:
        """Give the organisation the role; a reference to its party."""
        roles = self.found.setdefault(organisation.key, (organisation, []))[1]
        if role not in roles:
            roles.append(role)
        return {"id": organisation.key, "name": organisation.name}

    def data(self) -> list[dict]:
        return [
            compact(
                id=organisation.key,
                **own_texts(organisation, "name"),
                roles=roles,
                contactPoint=compact(url=organisation.url),
            )
            for organisation, roles in self.found.values()
        ]


class Citations:
    """The project's documents: every source its records cite, with the passages quoted and
    what each passage is quoted for."""

    def __init__(self):
        self.found = {}

    def cite(self, source, what: str, quote: str = "") -> None:
        if source is None:
            return
        passages = self.found.setdefault(source.key, (source, {}))[1]
        if quote and what not in passages.setdefault(quote, []):
            passages[quote].append(what)

    def data(self) -> list[dict]:
        found = sorted(self.found.values(), key=lambda entry: (entry[0].title, entry[0].key))
        return [
            compact(
                id=source.key,
                **own_texts(source, "title"),
                description="\n\n".join(
                    f"{', '.join(whats)}: “{quote}”" for quote, whats in passages.items()
                ),
                url=source.url,
                datePublished=source.published_on and moment(source.published_on),
                language=source.language,
                **own_texts(source, "publisher", "author"),
            )
            for source, passages in found
        ]


def status_since(records: ContributionRecords, status: str) -> date | None:
    """The day the contribution last entered `status`, when one was recorded."""
    days = [e.effective_on for e in records.events if e.status == status and e.effective_on]
    return days[-1] if days else None


def breakdown_entry(records: ContributionRecords, currency: str, parties: Parties) -> dict:
    contribution = records.contribution
    committed_on = (
        status_since(records, ContributionStatus.COMMITTED)
        if contribution.status in COUNTED_AS_COMMITTED
        else None
    )
    since = status_since(records, contribution.status)
    source_party = parties.add(contribution.funder, FUNDER)
    for share in records.shares:
        parties.add(share.organisation, FUNDER)
    return compact(
        id=contribution.key,
        **written("description", lambda words: contribution_text(records, currency, since, words)),
        amount=value(contribution.amount, currency),
        sourceParty=source_party,
        approvalDate=committed_on and moment(committed_on),
        # Not a field of the standard (docs/api.md): the contribution's status code.
        status=contribution.status,
    )


def budget_data(records: ProjectRecords, parties: Parties) -> dict:
    programme = records.programme
    entries = [
        breakdown_entry(contribution, programme.currency, parties)
        for contribution in records.contributions
    ]
    breakdowns = {"id": BREAKDOWN_ID, **written("description", breakdown_text)}
    return compact(
        **written("description", lambda words: budget_text(programme, words)),
        amount=value(programme.target, programme.currency),
        budgetBreakdowns=[{**breakdowns, "budgetBreakdown": entries}] if entries else None,
    )


def period(estimates) -> dict | None:
    """The days the estimates span, first to last; never a day that no estimate means."""
    if not estimates:
        return None
    return {
        "startDate": moment(min(estimate.earliest for estimate in estimates)),
        "endDate": moment(max(estimate.latest for estimate in estimates), end=True),
    }


def estimate_data(estimate) -> dict:
    return compact(
        period=period([estimate]),
        **written("description", lambda words: estimate_label(estimate, words)),
        documentId=estimate.source.key,
    )


def milestone_data(records: MilestoneRecords, citations: Citations) -> dict:
    milestone, estimates = records.milestone, records.estimates
    citations.cite(milestone.source, milestone.title, milestone.quote)
    for estimate in estimates:
        citations.cite(estimate.source, milestone.title, estimate.quote)
    met = milestone.status == MilestoneStatus.DONE and milestone.reached_on
    return compact(
        id=milestone.key,
        **own_texts(milestone, "title"),
        **written("description", lambda words: milestone_text(milestone, estimates, words)),
        status=MILESTONE_STATUSES[milestone.status],
        dateMet=met and moment(milestone.reached_on),
        period=period(estimates),
        # Not fields of the standard (docs/api.md): each source's estimate on its own.
        estimates=[estimate_data(estimate) for estimate in estimates],
    )


def transactions(records: ProjectRecords, parties: Parties, citations: Citations) -> list:
    currency = records.programme.currency
    found = []
    for contribution_records in records.contributions:
        contribution = contribution_records.contribution
        for payment in contribution_records.payments:
            citations.cite(payment.source, contribution.funder.name, payment.quote)
            found.append(
                compact(
                    id=f"{contribution.key}-{payment.pk}",
                    date=moment(payment.paid_on),
                    value=value(payment.amount, currency),
                    payer=parties.add(contribution.funder, PAYER),
                    source=payment.source and payment.source.url,
                )
            )
    return found


def cite_contributions(records: ProjectRecords, citations: Citations) -> None:
    for contribution_records in records.contributions:
        funder = contribution_records.contribution.funder.name
        for citation in contribution_records.citations:
            citations.cite(citation.source, funder, citation.quote)
        for event in contribution_records.events:
            citations.cite(event.source, funder, event.quote)


def locations(programme) -> list[dict]:
    if not programme.location:
        return []
    return [{"id": LOCATION_ID, **own_texts(programme, "location", "description")}]


def project_status(programme) -> str:
    """The phase the funding shows (projectStatus): paid out, committed, or neither yet."""
    if programme.disbursed > 0:
        return "implementation"
    if programme.committed > 0:
        return "preparation"
    return "identification"


def project_data(records: ProjectRecords) -> dict:
    programme = records.programme
    parties, citations = Parties(), Citations()
    citations.cite(programme.target_source, programme.name, programme.target_quote)
    budget = budget_data(records, parties)
    cite_contributions(records, citations)
    paid = transactions(records, parties, citations)
    for partner in records.partners:
        parties.add(partner.organisation, PARTY_ROLES[partner.role])
        citations.cite(partner.source, partner.organisation.name, partner.quote)
    milestones = [milestone_data(milestone, citations) for milestone in records.milestones]
    return compact(
        id=f"{PROJECT_PREFIX}-{programme.slug}",
        updated=records.updated and instant(records.updated),
        language=ORIGINAL_LANGUAGE,
        **own_texts(programme, "name", "title"),
        **own_texts(programme, "description"),
        **own_texts(programme, "purpose"),
        status=project_status(programme),
        locations=locations(programme),
        budget=budget,
        parties=parties.data(),
        milestones=milestones,
        documents=citations.data(),
        transactions=paid,
    )


def package(projects: list[dict], *, uri: str, site: str, published: datetime | None) -> dict:
    """A project package; published when its newest project changed (now, if none says)."""
    return {
        "uri": uri,
        "version": VERSION,
        "publishedDate": instant(published or timezone.now()),
        "publisher": {"name": PUBLISHER, "uri": f"{site}/"},
        "projects": projects,
    }


def programme_package(slug: str, *, site: str) -> dict:
    """The package of one public programme; 404 when there is none. `site`: "https://host"."""
    programme = get_object_or_404(public_projects(), slug=slug)
    [records] = project_records([programme])
    uri = site + reverse("api:programme_oc4ids", args=[slug])
    return package([project_data(records)], uri=uri, site=site, published=records.updated)


def portfolio_package(number: int, *, site: str) -> dict | None:
    """Page `number` of the package of every public programme, by name, with `links.next` to
    the page after it; None past the last page (or when no programme is public)."""
    page, programmes = public_projects_page(number, PROJECTS_PAGE_SIZE)
    if page.number != number or not programmes:
        return None
    records = project_records(programmes)
    url = site + reverse("api:oc4ids")
    newest = max((project.updated for project in records if project.updated), default=None)
    data = package(
        [project_data(project) for project in records],
        uri=page_url(url, number),
        site=site,
        published=newest,
    )
    links = compact(
        next=page.has_next and page_url(url, number + 1),
        prev=page.has_previous and page_url(url, number - 1),
    )
    return {**data, "links": links} if links else data
