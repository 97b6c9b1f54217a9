"""The open data documents' shapes: one class per JSON object, one described field per member.

funding/opendata/documents.py fills them; the JSON is written from them field by field, in the
order declared here; the OpenAPI description's schemas and docs/api.md's field tables are
generated from them (`python manage.py api_docs --write`). Objects leave `additionalProperties`
open: a field added later does not break a client.
"""

from funding.models import ContributionStatus, MilestoneStatus, Role
from funding.opendata.described import Day, Money, component, described, english_field, part, spread
from funding.opendata.json_schema import SLUG_PATTERN

# Contributions in the detail document and in each page of the paged endpoint.
API_PAGE_SIZE = 50
# Programmes per page of `/api/programmes/`: a portfolio of a thousand in one document was
# 600 kB, read back from the cache and sent whole to every client that polled it.
PROGRAMMES_PAGE_SIZE = 100

AS_OF = (
    "The day the newest change to the public records behind these figures was recorded; "
    "null when there are none."
)
PATH = {"format": "uri-reference"}


@component
class Organisation:
    """An organisation: a funder, partner or co-funder."""

    key: str = described("Stable identifier.")
    name: str = described("Name as the sources give it.")
    name_en: str | None = english_field("name")


@component
class Source:
    """A document that a figure or date comes from."""

    key: str = described("Stable identifier.")
    title: str = described("Title of the document.")
    title_en: str | None = english_field("title")
    publisher: str = described("Who published it.")
    publisher_en: str | None = english_field("publisher")
    url: str | None = described("Address of the document; null when unknown.", format="uri")
    published_on: Day | None = described("Publication date; null when unknown.")
    language: str = described("Language of the document (BCP 47 code, e.g. `nl`).")
    quote: str = described("The passage that gives the figure or date, in the source's language.")


@component
class Links:
    """Related addresses, as paths on this site."""

    api: str = described("This programme's JSON document.", **PATH)
    html: str = described("The public programme page.", **PATH)
    feed: str = described("Atom feed of its changes.", **PATH)
    contributions: str = described("The paged list of contributions.", **PATH)
    contributions_csv: str = described("Every public contribution as CSV.", **PATH)
    oc4ids: str = described("This programme as an OC4IDS project package.", **PATH)


@component
class ProgrammeSummary:
    """A public programme with its totals. Withdrawn contributions count in no total."""

    slug: str = described("Identifier in addresses.", pattern=SLUG_PATTERN)
    name: str = described("Name of the programme.")
    as_of: Day | None = described(AS_OF)
    name_en: str | None = english_field("name")
    text_language: str = described(
        "Language of the plain text fields (`nl`); the `_en` fields hold English texts.",
        enum=["nl"],
    )
    currency: str = described("ISO 4217 code of every amount.", examples=["EUR"])
    target: Money = described("What the programme aims to raise.")
    committed: Money = described("Public contributions that are committed or disbursed.")
    pending: Money = described("Public contributions requested and not yet decided.")
    disbursed: Money = described("Payments made on public committed contributions.")
    links: Links = described("Related addresses, as paths on this site.")


@part
class Paging:
    count: int = described("All public contributions of the programme.", minimum=0)
    page: int = described("This page's number.", minimum=1)
    pages: int = described("How many pages there are.", minimum=1)
    page_size: int = described("Items per page.", const=API_PAGE_SIZE)
    next: str | None = described("Path of the next page; null on the last.", **PATH)
    previous: str | None = described("Path of the previous page; null on the first.", **PATH)


@part
class ProgrammesPaging(Paging):
    count: int = described("All public programmes.", minimum=0)
    page_size: int = described("Items per page.", const=PROGRAMMES_PAGE_SIZE)


@component
class ProgrammeList:
    """One page of the public programmes with their totals."""

    as_of: Day | None = described(AS_OF)
    paging: ProgrammesPaging = spread("Where this page stands.")
    programmes: list[ProgrammeSummary] = described("This page's programmes, by name.")


@component
class Programme(ProgrammeSummary):
    """One public programme: totals, contributions, partners and milestones."""

    description: str = described("Description, as the sources give it.")
    description_en: str | None = english_field("description")
    purpose: str = described("What the money is for.")
    purpose_en: str | None = english_field("purpose")
    location: str = described("Where.")
    location_en: str | None = english_field("location")
    target_source: "Source | None" = described("The source of the target; null when none.")
    totals: "Totals" = described("The public contributions summed per status and per funder.")
    scenarios: "Scenarios" = described(
        "What granting or refusing the pending requests would make of the committed total."
    )
    contributions: "list[Contribution]" = described(
        f"The first page of public contributions (at most {API_PAGE_SIZE}), largest first."
    )
    contributions_paging: Paging = described("Where the rest of the contributions are.")
    partners: "list[Partner]" = described("Its partners.")
    milestones: "list[Milestone]" = described("Its milestones, by expected date.")
    on: Day | None = described(
        "The past day this document stands for, asked with `?on=YYYY-MM-DD`: the public "
        "figures as they stood at the end of that day (Europe/Amsterdam), rebuilt from the "
        "kept history; null for today's. A past document's `contributions_paging` has no "
        "`next` or `previous`: the paged list serves today's contributions."
    )


@part
class StatusTotal:
    status: str = described("The status.", enum=ContributionStatus.values)
    contributions: int = described("How many public contributions have it.", minimum=0)
    amount: Money = described("Their sum.")


@part
class FunderTotal:
    funder: str = described("Name of the funder.")
    funder_en: str | None = english_field("funder")
    contributions: int = described("Its public contributions.", minimum=0)
    committed: Money = described("Its committed or disbursed contributions.")
    pending: Money = described("Its requested contributions.")


@component
class Totals:
    """The public contributions summed per status and per funder."""

    by_status: list[StatusTotal] = described(
        "Always all four statuses, in the order requested, committed, disbursed, withdrawn."
    )
    by_funder: list[FunderTotal] = described(
        "The 20 largest funders by committed plus pending money."
    )
    funders: int = described("How many funders there are in all.", minimum=0)


@component
class Outcome:
    """The committed total if a decision goes one way, and how far it is from the target."""

    total: Money = described("The committed total it gives.")
    gap: Money = described("What that total is short of the target; 0.00 when it reaches it.")
    surplus: Money = described("What that total is over the target; 0.00 otherwise.")


@part
class AllPending:
    amount: Money = described("All pending contributions together.")
    if_granted: Outcome = described("If all of them are granted.")
    if_refused: Outcome = described("If all of them are refused.")


@part
class PendingScenario:
    key: str = described("The contribution's key.")
    funder: str = described("Name of the funder.")
    instrument: str = described("Instrument or budget line; may be empty.")
    amount: Money = described("The amount requested.")
    if_granted: Outcome = described("If it is granted (the others stay undecided).")
    if_refused: Outcome = described("If it is refused (the others stay undecided).")
    decision_expected: "list[Estimate]" = described(
        "When the decision is expected, one estimate per source; empty when no source gives it."
    )


@component
class Scenarios:
    """What granting or refusing the pending requests would make of the committed total.

    Only public contributions count.
    """

    committed: Money = described("The committed total today.")
    pending_count: int = described("How many public contributions are pending.", minimum=0)
    all_pending: AllPending | None = described(
        "All pending contributions together; null when nothing is pending."
    )
    pending: list[PendingScenario] = described(
        "The 10 largest pending contributions, largest first."
    )


@part
class CoFunder:
    organisation: Organisation = described("The co-funder.")
    amount: Money | None = described("Its share; null when not published.")


@component
class Contribution:
    """A public contribution to a programme."""

    key: str = described("Identifier, unique within the programme.")
    funder: Organisation = described("The organisation that funds.")
    instrument: str = described("Instrument or budget line (e.g. a fund); may be empty.")
    instrument_en: str | None = english_field("instrument")
    amount: Money = described("The amount pledged or requested.")
    status: str = described("Where the money stands.", enum=ContributionStatus.values)
    notes: str = described("Notes; may be empty.")
    notes_en: str | None = english_field("notes")
    split_published: bool = described(
        "False when co-funders share the amount in parts no source has published."
    )
    co_funders: list[CoFunder] = described("Organisations that share the amount.")
    sources: list[Source] = described("The documents that give the contribution.")


@component
class ContributionPage:
    """One page of a programme's public contributions."""

    programme: str = described("The programme's slug.")
    as_of: Day | None = described(AS_OF)
    paging: Paging = spread("Where this page stands.")
    contributions: list[Contribution] = described("This page's contributions, largest first.")


@component
class Partner:
    """An organisation's role in the programme."""

    organisation: Organisation = described("The partner.")
    role: str = described("Its role in the programme.", enum=Role.values)
    description: str = described("What it does; may be empty.")
    description_en: str | None = english_field("description")
    source: Source | None = described("The source of its role; null when none.")


@component
class Milestone:
    """A public milestone, in timeline order."""

    key: str = described("Identifier, unique within the programme.")
    title: str = described("Title.")
    title_en: str | None = english_field("title")
    description: str = described("Description; may be empty.")
    description_en: str | None = english_field("description")
    status: str = described("Where it stands.", enum=MilestoneStatus.values)
    reached_on: Day | None = described("When it was reached; null when no source gives it.")
    source: Source | None = described("The source of its status; null when none.")
    sources_differ: bool = described("True when its sources disagree.")
    estimates: "list[Estimate]" = described("Its expected date, one estimate per source.")


@part
class Labels:
    nl: str = described("In Dutch.")
    en: str = described("In English.")


@component
class Estimate:
    """A date as one source gave it."""

    precision: str = described(
        "How precise the date is.", enum=["year", "part", "half", "quarter", "month", "day"]
    )
    year: int = described("The year.")
    period: int | None = described(
        "part 1-3 (early, mid, late), half 1-2, quarter 1-4, month 1-12; null for a year or a day.",
        minimum=1,
        maximum=12,
    )
    day: Day | None = described("The day, for precision `day`; null otherwise.")
    earliest: Day = described("The first day the estimate can mean.")
    latest: Day = described("The last day the estimate can mean.")
    label: Labels = described("As people say it, e.g. `eind 2026` / `late 2026`.")
    source: Source = described("The document that gave this estimate, with its quote.")
