"""The open data documents: public records only, as plain JSON-ready dicts and CSV rows.

They are built from the same context builders as the public pages, so the API and the page
cannot disagree on a figure. Amounts are decimal strings in euros ("70000000.00"), dates ISO 8601.
"""

from collections.abc import Iterator
from datetime import date

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import translation

from funding.figures.as_of import public_as_of_by_programme
from funding.figures.listings import ContributionTotals, PageOf, public_contributions
from funding.figures.summaries import FundingSummary, ProgrammePage, public_programmes
from funding.formatting import money
from funding.languages import ORIGINAL_LANGUAGE, translated
from funding.models import (
    Contribution,
    DateEstimate,
    DecisionEstimate,
    Organisation,
    Programme,
    Source,
)

# Contributions in the detail document and in each page of the paged endpoint.
API_PAGE_SIZE = 50
# Programmes per page of `/api/programmes/`: a portfolio of a thousand in one document was
# 600 kB, read back from the cache and sent whole to every client that polled it.
PROGRAMMES_PAGE_SIZE = 100
CSV_CHUNK_SIZE = 2000

CSV_COLUMNS = [
    "funder",
    "co_funders",
    "instrument",
    "amount",
    "currency",
    "status",
    "split_published",
    "sources",
    "key",
]


def iso(value) -> str | None:
    return value.isoformat() if value else None


def english(record, field: str) -> str | None:
    """The English version of a text next to its original, or None when none was written."""
    text = translated(record, field, "en")
    return text.text if text else None


def organisation_data(organisation: Organisation) -> dict:
    return {
        "key": organisation.key,
        "name": organisation.name,
        "name_en": english(organisation, "name"),
    }


def source_data(source: Source | None, quote: str = "") -> dict | None:
    if source is None:
        return None
    return {
        "key": source.key,
        "title": source.title,
        "title_en": english(source, "title"),
        "publisher": source.publisher,
        "publisher_en": english(source, "publisher"),
        "url": source.url or None,
        "published_on": iso(source.published_on),
        "language": source.language,
        "quote": quote,
    }


def summary_data(programme: Programme, summary: FundingSummary, as_of: date | None) -> dict:
    return {
        "slug": programme.slug,
        "name": programme.name,
        # The day the figures hold as of: the newest recorded change to its public records.
        "as_of": iso(as_of),
        "name_en": english(programme, "name"),
        # The language of the plain text fields; a source's own texts are in its `language`.
        "text_language": ORIGINAL_LANGUAGE,
        "currency": summary.currency,
        "target": money(summary.target),
        "committed": money(summary.committed),
        "pending": money(summary.pending),
        "disbursed": money(summary.disbursed),
        "links": {
            "api": reverse("funding:api_programme", args=[programme.slug]),
            "html": programme.get_absolute_url(),
            "feed": reverse("funding:feed", args=[programme.slug]),
            "contributions": reverse("funding:api_contributions", args=[programme.slug]),
            "contributions_csv": reverse("funding:api_contributions_csv", args=[programme.slug]),
            "oc4ids": reverse("funding:api_programme_oc4ids", args=[programme.slug]),
        },
    }


def programme_list_data(number: int = 1) -> dict | None:
    """`/api/programmes/?page=N`: one page of the public programmes with their public totals,
    ordered by name; None past the last page (page 1 always exists)."""
    as_of = public_as_of_by_programme()
    page = PageOf.of(Paginator(public_programmes(), PROGRAMMES_PAGE_SIZE), number)
    if page.number != number:
        return None
    return {
        "as_of": iso(max(as_of.values(), default=None)),
        **list_paging_data(page),
        "programmes": [
            summary_data(programme, summary, as_of.get(programme.pk))
            for programme, summary in page.items
        ],
    }


def contribution_data(contribution: Contribution) -> dict:
    return {
        "key": contribution.key,
        "funder": organisation_data(contribution.funder),
        "instrument": contribution.instrument,
        "instrument_en": english(contribution, "instrument"),
        "amount": money(contribution.amount),
        "status": contribution.status,
        "notes": contribution.notes,
        "notes_en": english(contribution, "notes"),
        "split_published": contribution.split_published,
        "co_funders": [
            {"organisation": organisation_data(share.organisation), "amount": money(share.amount)}
            for share in contribution.shares.all()
        ],
        "sources": [
            source_data(citation.source, citation.quote)
            for citation in contribution.citations.all()
        ],
    }


def estimate_data(estimate: DateEstimate | DecisionEstimate) -> dict:
    fuzzy = estimate.fuzzy_date
    labels = {}
    for language in ("nl", "en"):
        with translation.override(language):
            labels[language] = fuzzy.label()
    return {
        "precision": fuzzy.precision,
        "year": fuzzy.year,
        "period": fuzzy.period,
        "day": iso(fuzzy.day),
        "earliest": iso(fuzzy.earliest),
        "latest": iso(fuzzy.latest),
        "label": labels,
        "source": source_data(estimate.source, estimate.quote),
    }


def outcome_data(outcome) -> dict:
    return {
        "total": money(outcome.total),
        "gap": money(outcome.gap),
        "surplus": money(outcome.surplus),
    }


def scenarios_data(scenarios) -> dict:
    """What granting or refusing the pending requests would make of the committed total."""
    together = scenarios.all_pending
    return {
        "committed": money(scenarios.committed),
        "pending_count": scenarios.pending_count,
        "all_pending": None
        if together is None
        else {
            "amount": money(together.amount),
            "if_granted": outcome_data(together.granted),
            "if_refused": outcome_data(together.refused),
        },
        "pending": [
            {
                "key": scenario.key,
                "funder": scenario.funder,
                "instrument": scenario.instrument,
                "amount": money(scenario.amount),
                "if_granted": outcome_data(scenario.granted),
                "if_refused": outcome_data(scenario.refused),
                "decision_expected": [estimate_data(e) for e in scenario.estimates],
            }
            for scenario in scenarios.pending
        ],
    }


def page_url(url: str, number: int) -> str:
    """The address of page `number` of a paged list at `url` (page 1 has no parameter)."""
    return url if number == 1 else f"{url}?page={number}"


def contributions_page_url(slug: str, number: int) -> str:
    return page_url(reverse("funding:api_contributions", args=[slug]), number)


def paging_data(slug: str, page: PageOf) -> dict:
    """Where a page of contributions stands: how many there are, and the pages around it."""
    return _paging(page, API_PAGE_SIZE, lambda number: contributions_page_url(slug, number))


def list_paging_data(page: PageOf) -> dict:
    """Where a page of the programme list stands."""
    url = reverse("funding:api_programmes")
    return _paging(page, PROGRAMMES_PAGE_SIZE, lambda number: page_url(url, number))


def _paging(page: PageOf, page_size: int, url_of) -> dict:
    return {
        "count": page.count,
        "page": page.number,
        "pages": page.pages,
        "page_size": page_size,
        "next": url_of(page.next_page_number) if page.has_next else None,
        "previous": url_of(page.previous_page_number) if page.has_previous else None,
    }


def totals_data(totals: ContributionTotals) -> dict:
    return {
        "by_status": [
            {"status": row.status, "contributions": row.contributions, "amount": money(row.amount)}
            for row in totals.by_status
        ],
        "by_funder": [
            {
                "funder": row.name,
                "funder_en": english(row, "name"),
                "contributions": row.contributions,
                "committed": money(row.committed),
                "pending": money(row.pending),
            }
            for row in totals.by_funder
        ],
        "funders": totals.funders,
    }


def contributions_data(page: ProgrammePage) -> dict:
    """`/api/programmes/<slug>/contributions/?page=N`: one page of the public contributions."""
    slug = page.programme.slug
    return {
        "programme": slug,
        "as_of": iso(page.as_of),
        **paging_data(slug, page.contribution_page),
        "contributions": [contribution_data(c) for c in page.contributions],
    }


def programme_data(page: ProgrammePage) -> dict:
    """`/api/programmes/<slug>/`: the programme's public figures, partners and milestones.

    Its contributions are the first page of them (largest first); `contributions_paging.next`
    links the rest, and `totals` sums them all per status and per (largest) funder.
    """
    programme = page.programme
    return {
        **summary_data(programme, page.summary, page.as_of),
        "description": programme.description,
        "description_en": english(programme, "description"),
        "purpose": programme.purpose,
        "purpose_en": english(programme, "purpose"),
        "location": programme.location,
        "location_en": english(programme, "location"),
        "target_source": source_data(programme.target_source, programme.target_quote),
        "totals": totals_data(page.totals),
        "scenarios": scenarios_data(page.scenarios),
        "contributions": [contribution_data(c) for c in page.contributions],
        "contributions_paging": paging_data(programme.slug, page.contribution_page),
        "partners": [
            {
                "organisation": organisation_data(partner.organisation),
                "role": partner.role,
                "description": partner.description,
                "description_en": english(partner, "description"),
                "source": source_data(partner.source, partner.quote),
            }
            for partner in page.partners
        ],
        "milestones": [
            {
                "key": item.milestone.key,
                "title": item.milestone.title,
                "title_en": english(item.milestone, "title"),
                "description": item.milestone.description,
                "description_en": english(item.milestone, "description"),
                "status": item.milestone.status,
                "reached_on": iso(item.milestone.reached_on),
                "source": source_data(item.milestone.source, item.milestone.quote),
                "sources_differ": item.sources_differ,
                "estimates": [estimate_data(estimate) for estimate in item.estimates],
            }
            for item in page.milestones
        ],
    }


def open_data_csv_rows(programme: Programme) -> Iterator[list]:
    """The rows of the open data contributions.csv: the header, then every public contribution,
    read from the database in chunks (with their co-funders and sources) so that memory stays
    flat however many there are. The CSV writer (funding/spreadsheets.py) neutralises the cells."""
    yield CSV_COLUMNS
    contributions = public_contributions(programme).iterator(chunk_size=CSV_CHUNK_SIZE)
    for contribution in contributions:
        co_funders = "; ".join(
            share.organisation.name + ("" if share.amount is None else f" {money(share.amount)}")
            for share in contribution.shares.all()
        )
        sources = "; ".join(citation.source.title for citation in contribution.citations.all())
        yield [
            contribution.funder.name,
            co_funders,
            contribution.instrument,
            contribution.amount,
            programme.currency,
            contribution.status,
            "yes" if contribution.split_published else "no",
            sources,
            contribution.key,
        ]
