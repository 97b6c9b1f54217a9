"""The public home's list of programmes: searched by name, sorted, a page at a time.

However many programmes there are, it costs two queries (how many are public, and one page of
them with their public totals) and a third when searching (how many match).
"""

from dataclasses import dataclass, replace

from django.core.paginator import Paginator
from django.db.models import F, Q
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from funding.figures.listings import PageOf
from funding.figures.summaries import FundingSummary
from funding.models import Programme

HOME_PAGE_SIZE = 50
# Up to this many public programmes the home shows each as a card with its funding summary;
# beyond it, a compact table that can be searched and sorted.
HOME_CARDS_AT_MOST = 6
HOME_SORTS = {
    "name": ("name", "slug"),
    "-name": ("-name", "-slug"),
    "target": ("target", "name"),
    "-target": ("-target", "name"),
    # Programmes without a target have no share: they come last in both directions.
    "share": (F("committed_share").asc(nulls_last=True), "name"),
    "-share": (F("committed_share").desc(nulls_last=True), "name"),
}
HOME_DEFAULT_SORT = "name"
SORT_CHOICES = [
    ("name", _("Name, A to Z")),
    ("-name", _("Name, Z to A")),
    ("-target", _("Target, largest first")),
    ("target", _("Target, smallest first")),
    ("-share", _("Committed share, highest first")),
    ("share", _("Committed share, lowest first")),
]


def home_sort(value: str | None) -> str:
    return value if value in HOME_SORTS else HOME_DEFAULT_SORT


@dataclass(frozen=True)
class ProgrammeRow:
    slug: str
    name: str
    summary: FundingSummary
    name_en: str = ""


@dataclass(frozen=True)
class ProgrammeListing:
    """One page of the home's programmes, and how it was asked for."""

    page: PageOf  # of ProgrammeRow
    total: int  # every public programme, whatever the search
    search: str
    sort: str

    @property
    def as_cards(self) -> bool:
        return self.total <= HOME_CARDS_AT_MOST

    @property
    def sort_choices(self):
        return SORT_CHOICES

    @property
    def page_query(self) -> str:
        """The search and sort for the page links: "q=…&sort=…&", or empty for the defaults."""
        query = {"q": self.search} if self.search else {}
        if self.sort != HOME_DEFAULT_SORT:
            query["sort"] = self.sort
        return urlencode(query) + "&" if query else ""


def programme_listing(*, search: str = "", sort: str = HOME_DEFAULT_SORT, page=None):
    """A page of public programmes with their public totals, searched by name and sorted."""
    programmes = Programme.objects.public()
    total = programmes.count()
    matching = (
        programmes.filter(Q(name__icontains=search) | Q(name_en__icontains=search))
        if search
        else programmes
    )
    ordered = matching.with_totals(public_only=True).order_by(*HOME_SORTS[sort])
    paginator = Paginator(ordered, HOME_PAGE_SIZE)
    if not search:
        paginator.count = total  # known already: spare the count query
    shown = PageOf.of(paginator, page)
    rows = [
        ProgrammeRow(p.slug, p.name, FundingSummary.of(p), name_en=p.name_en) for p in shown.items
    ]
    return ProgrammeListing(replace(shown, items=rows), total, search, sort)
