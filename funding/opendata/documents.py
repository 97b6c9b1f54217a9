"""The open data documents: public records only, as the document classes of
funding/opendata/shapes.py (which the JSON is written from) and as CSV rows.

They are built from the same context builders as the public pages, so the API and the page
cannot disagree on a figure. Amounts are decimal strings in euros ("70000000.00"), dates ISO 8601.
"""

import dataclasses
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
from funding.opendata import shapes
from funding.opendata.shapes import API_PAGE_SIZE, PROGRAMMES_PAGE_SIZE

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


def organisation_data(organisation: Organisation) -> shapes.Organisation:
    return shapes.Organisation(
        key=organisation.key, name=organisation.name, name_en=english(organisation, "name")
    )


def source_data(source: Source | None, quote: str = "") -> shapes.Source | None:
    if source is None:
        return None
    return shapes.Source(
        key=source.key,
        title=source.title,
        title_en=english(source, "title"),
        publisher=source.publisher,
        publisher_en=english(source, "publisher"),
        url=source.url or None,
        published_on=iso(source.published_on),
        language=source.language,
        quote=quote,
    )


def summary_fields(programme: Programme, summary: FundingSummary, as_of: date | None) -> dict:
    """The fields of a programme's summary, which its whole document starts with."""
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
        "links": links_of(programme),
    }


def links_of(programme: Programme) -> shapes.Links:
    """The document's addresses. The page and the feed are the Dutch ones, at the address
    without a language prefix (the pages' x-default, which names the English one in its
    hreflang links): the API is the same for every reader (docs/decisions.md)."""
    with translation.override(ORIGINAL_LANGUAGE):
        return shapes.Links(
            api=reverse("api:programme", args=[programme.slug]),
            html=programme.get_absolute_url(),
            feed=reverse("funding:feed", args=[programme.slug]),
            contributions=reverse("api:contributions", args=[programme.slug]),
            contributions_csv=reverse("api:contributions_csv", args=[programme.slug]),
            oc4ids=reverse("api:programme_oc4ids", args=[programme.slug]),
        )


def programme_list_data(number: int = 1) -> shapes.ProgrammeList | None:
    """`/api/programmes/?page=N`: one page of the public programmes with their public totals,
    ordered by name; None past the last page (page 1 always exists)."""
    as_of = public_as_of_by_programme()
    page = PageOf.of(Paginator(public_programmes(), PROGRAMMES_PAGE_SIZE), number)
    if page.number != number:
        return None
    return shapes.ProgrammeList(
        as_of=iso(max(as_of.values(), default=None)),
        paging=list_paging_data(page),
        programmes=[
            shapes.ProgrammeSummary(**summary_fields(programme, summary, as_of.get(programme.pk)))
            for programme, summary in page.items
        ],
    )


def contribution_data(contribution: Contribution) -> shapes.Contribution:
    return shapes.Contribution(
        key=contribution.key,
        funder=organisation_data(contribution.funder),
        instrument=contribution.instrument,
        instrument_en=english(contribution, "instrument"),
        amount=money(contribution.amount),
        status=contribution.status,
        notes=contribution.notes,
        notes_en=english(contribution, "notes"),
        split_published=contribution.split_published,
        co_funders=[
            shapes.CoFunder(
                organisation=organisation_data(share.organisation), amount=money(share.amount)
            )
            for share in contribution.shares.all()
        ],
        sources=[
            source_data(citation.source, citation.quote)
            for citation in contribution.citations.all()
        ],
    )


def estimate_of(estimate: DateEstimate | DecisionEstimate) -> shapes.Estimate:
    fuzzy = estimate.fuzzy_date
    labels = {}
    for language in ("nl", "en"):
        with translation.override(language):
            labels[language] = fuzzy.label()
    return shapes.Estimate(
        precision=fuzzy.precision,
        year=fuzzy.year,
        period=fuzzy.period,
        day=iso(fuzzy.day),
        earliest=iso(fuzzy.earliest),
        latest=iso(fuzzy.latest),
        label=shapes.Labels(**labels),
        source=source_data(estimate.source, estimate.quote),
    )


def outcome_data(outcome) -> shapes.Outcome:
    return shapes.Outcome(
        total=money(outcome.total), gap=money(outcome.gap), surplus=money(outcome.surplus)
    )


def scenarios_data(scenarios) -> shapes.Scenarios:
    """What granting or refusing the pending requests would make of the committed total."""
    together = scenarios.all_pending
    return shapes.Scenarios(
        committed=money(scenarios.committed),
        pending_count=scenarios.pending_count,
        all_pending=None
        if together is None
        else shapes.AllPending(
            amount=money(together.amount),
            if_granted=outcome_data(together.granted),
            if_refused=outcome_data(together.refused),
        ),
        pending=[
            shapes.PendingScenario(
                key=scenario.key,
                funder=scenario.funder,
                instrument=scenario.instrument,
                amount=money(scenario.amount),
                if_granted=outcome_data(scenario.granted),
                if_refused=outcome_data(scenario.refused),
                decision_expected=[estimate_of(e) for e in scenario.estimates],
            )
            for scenario in scenarios.pending
        ],
    )


def page_url(url: str, number: int) -> str:
    """The address of page `number` of a paged list at `url` (page 1 has no parameter)."""
    return url if number == 1 else f"{url}?page={number}"


def contributions_page_url(slug: str, number: int) -> str:
    return page_url(reverse("api:contributions", args=[slug]), number)


def paging_data(slug: str, page: PageOf) -> shapes.Paging:
    """Where a page of contributions stands: how many there are, and the pages around it."""
    return shapes.Paging(**_paging(page, API_PAGE_SIZE, lambda n: contributions_page_url(slug, n)))


def list_paging_data(page: PageOf) -> shapes.ProgrammesPaging:
    """Where a page of the programme list stands."""
    url = reverse("api:programmes")
    return shapes.ProgrammesPaging(
        **_paging(page, PROGRAMMES_PAGE_SIZE, lambda number: page_url(url, number))
    )


def _paging(page: PageOf, page_size: int, url_of) -> dict:
    return {
        "count": page.count,
        "page": page.number,
        "pages": page.pages,
        "page_size": page_size,
        "next": url_of(page.next_page_number) if page.has_next else None,
        "previous": url_of(page.previous_page_number) if page.has_previous else None,
    }


def totals_data(totals: ContributionTotals) -> shapes.Totals:
    return shapes.Totals(
        by_status=[
            shapes.StatusTotal(
                status=row.status, contributions=row.contributions, amount=money(row.amount)
            )
            for row in totals.by_status
        ],
        by_funder=[
            shapes.FunderTotal(
                funder=row.name,
                funder_en=english(row, "name"),
                contributions=row.contributions,
                committed=money(row.committed),
                pending=money(row.pending),
            )
            for row in totals.by_funder
        ],
        funders=totals.funders,
    )


def contributions_data(page: ProgrammePage) -> shapes.ContributionPage:
    """`/api/programmes/<slug>/contributions/?page=N`: one page of the public contributions."""
    slug = page.programme.slug
    return shapes.ContributionPage(
        programme=slug,
        as_of=iso(page.as_of),
        paging=paging_data(slug, page.contribution_page),
        contributions=[contribution_data(c) for c in page.contributions],
    )


def programme_data(page: ProgrammePage) -> shapes.Programme:
    """`/api/programmes/<slug>/`: the programme's public figures, partners and milestones.

    Its contributions are the first page of them (largest first); `contributions_paging.next`
    links the rest, and `totals` sums them all per status and per (largest) funder.
    """
    programme = page.programme
    return shapes.Programme(
        **summary_fields(programme, page.summary, page.as_of),
        description=programme.description,
        description_en=english(programme, "description"),
        purpose=programme.purpose,
        purpose_en=english(programme, "purpose"),
        location=programme.location,
        location_en=english(programme, "location"),
        target_source=source_data(programme.target_source, programme.target_quote),
        totals=totals_data(page.totals),
        scenarios=scenarios_data(page.scenarios),
        contributions=[contribution_data(c) for c in page.contributions],
        contributions_paging=_paging_of(page),
        partners=[
            shapes.Partner(
                organisation=organisation_data(partner.organisation),
                role=partner.role,
                description=partner.description,
                description_en=english(partner, "description"),
                source=source_data(partner.source, partner.quote),
            )
            for partner in page.partners
        ],
        milestones=[milestone_of(item) for item in page.milestones],
        on=iso(page.on),
    )


def _paging_of(page: ProgrammePage) -> shapes.Paging:
    paging = paging_data(page.programme.slug, page.contribution_page)
    if page.on is None:
        return paging
    # The paged list serves today's contributions, not the past day's.
    return dataclasses.replace(paging, next=None, previous=None)


def milestone_of(item) -> shapes.Milestone:
    milestone = item.milestone
    return shapes.Milestone(
        key=milestone.key,
        title=milestone.title,
        title_en=english(milestone, "title"),
        description=milestone.description,
        description_en=english(milestone, "description"),
        status=milestone.status,
        reached_on=iso(milestone.reached_on),
        source=source_data(milestone.source, milestone.quote),
        sources_differ=item.sources_differ,
        estimates=[estimate_of(estimate) for estimate in item.estimates],
    )


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
