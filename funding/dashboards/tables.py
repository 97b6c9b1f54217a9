"""django-tables2 tables for the dashboards, and how a request configures them."""

import django_tables2 as tables
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableListData
from django_tables2.rows import BoundRows
from django_tables2.utils import OrderBy

from funding.formatting import format_money, format_share
from funding.languages import in_language
from funding.models import Contribution, Programme

TEMPLATE = "funding/dashboard/_table.html"
NUMBER = {"th": {"class": "number"}, "td": {"class": "number"}}


class MoneyColumn(tables.Column):
    """An amount in the active language's format, right-aligned with tabular figures."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUMBER)
        super().__init__(*args, **kwargs)

    def render(self, value, record):
        return format_money(value, getattr(record, "currency", "EUR"))


class ShareColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUMBER)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_share(value)


class RowsSortedByKey(TableListData):
    """A list of rows sorted with one key per row and column.

    django-tables2 sorts a list by resolving each column's accessor on every comparison: half a
    second for 1,000 programmes on a busy machine. Empty values come last going up and first
    going down, as in PostgreSQL; text sorts without regard to case.
    """

    def order_by(self, aliases):
        # Stable sorts, least significant column first.
        for alias in reversed(list(aliases)):
            order = OrderBy(alias)
            name = str(self.table.columns[order.bare].accessor)
            self.data.sort(
                key=lambda row, name=name: _sort_key(getattr(row, name)),
                reverse=order.is_descending,
            )


def _sort_key(value):
    if isinstance(value, str):
        value = value.casefold()
    return (value is None, value)


class PortfolioTable(tables.Table):
    caption = _("All programmes, public or not")
    name = tables.Column(verbose_name=_("Programme"))
    target = MoneyColumn(verbose_name=_("Target"))
    committed = MoneyColumn(verbose_name=_("Committed"))
    pending = MoneyColumn(verbose_name=_("Pending"))
    disbursed = MoneyColumn(verbose_name=_("Disbursed"))
    committed_share = ShareColumn(verbose_name=_("Committed share"), default="")
    is_public = tables.Column(verbose_name=_("Public page"))

    class Meta:
        model = Programme
        fields = ["name", "target", "committed", "pending", "disbursed", "committed_share"]
        sequence = [*fields, "is_public"]
        # The rows are a list: the table sorts them, and marks the column it sorts by.
        order_by = ("name",)
        template_name = TEMPLATE
        attrs = {"class": "utrecht-table dashboard-table portfolio-table"}
        empty_text = _("No programmes recorded.")

    def render_name(self, value, record):
        url = reverse("funding:dashboard_programme", kwargs={"slug": record.slug})
        name = in_language(record, "name")
        return format_html(
            '<a class="utrecht-link"{} href="{}">{}</a>', name.lang_attr, url, name.text
        )

    def _rows_link(self, value, record, url):
        amount = format_money(value, record.currency)
        return format_html('<a class="utrecht-link" href="{}">{}</a>', url, amount)

    def render_committed(self, value, record):
        return self._rows_link(value, record, record.links.committed)

    def render_pending(self, value, record):
        return self._rows_link(value, record, record.links.pending)

    def render_disbursed(self, value, record):
        return self._rows_link(value, record, record.links.disbursed)

    def render_is_public(self, value, record):
        if value:
            return format_html(
                '<a class="utrecht-link" href="{}">{}</a>', record.get_absolute_url(), _("public")
            )
        return _("not public")


class ContributionTable(tables.Table):
    caption = _("Contributions matching the filters")
    funder = tables.Column(verbose_name=_("Funder"), order_by=("funder__name",))
    instrument = tables.Column(verbose_name=_("Instrument or budget line"))
    amount = MoneyColumn(verbose_name=_("Amount"))
    status = tables.Column(verbose_name=_("Status"), attrs={"td": {"class": "nowrap"}})
    disbursed = MoneyColumn(verbose_name=_("Disbursed"))
    is_public = tables.Column(verbose_name=_("Visibility"), attrs={"td": {"class": "nowrap"}})
    notes = tables.Column(verbose_name=_("Notes"), attrs={"td": {"class": "notes"}})

    class Meta:
        model = Contribution
        fields = ["funder", "instrument", "amount", "status", "disbursed", "is_public", "notes"]
        template_name = TEMPLATE
        attrs = {"class": "utrecht-table dashboard-table contribution-table"}
        empty_text = _("No contributions match these filters.")

    def render_funder(self, value, record):
        return in_language(record.funder, "name").marked

    def render_instrument(self, value, record):
        return in_language(record, "instrument").marked

    def render_notes(self, value, record):
        return in_language(record, "notes").marked

    def render_amount(self, value, record):
        return format_money(value, record.programme.currency)

    def render_disbursed(self, value, record):
        return format_money(value, record.programme.currency)

    def render_is_public(self, value):
        return _("public") if value else _("not public")


def requested_order(table, request) -> list[str]:
    """The sort the query string asks for, keeping only columns of the table that sort.

    django-tables2 would read anything else as an accessor ("1.5", "a.b") and warn or fail.
    """
    names = [
        name.strip()
        for value in request.GET.getlist(table.prefixed_order_by_field)
        for name in value.split(",")
    ]
    sortable = {column.name for column in table.columns if column.orderable}
    return [name for name in names if name.removeprefix("-") in sortable]


class KeysFirstPaginator(Paginator):
    """Pages a queryset in two steps: the keys of one page in the table's order, then those rows.

    Annotations computed per row (a contribution's payments) then run for the rows shown, not
    for every row skipped on the way to a deep page, unless the table is sorted by them.
    """

    def _get_page(self, rows, number, paginator):
        # django-tables2 pages its BoundRows; their data is the page's slice of the queryset.
        keys = list(rows.data.values_list("pk", flat=True))
        records = {record.pk: record for record in rows.table.data.data.filter(pk__in=keys)}
        page_rows = BoundRows(
            data=[records[key] for key in keys if key in records], table=rows.table
        )
        return super()._get_page(page_rows, number, paginator)


def counted(paginator_class, count: int):
    """`paginator_class` for rows already counted: it uses `count` instead of a COUNT query."""
    return type(f"Counted{paginator_class.__name__}", (paginator_class,), {"count": count})


def configure(table, request, *, per_page: int, paginator_class=Paginator):
    """Sort and paginate from the query string; nonsense sorts are ignored, bad pages fall back.

    The page size is ours, not the request's, so no one can ask for a page that costs more.
    """
    table.request = request
    if order_by := requested_order(table, request):
        sort(table, order_by)
    options = {"per_page": per_page, "paginator_class": paginator_class}
    try:
        table.paginate(page=int(request.GET.get(table.prefixed_page_field, 1)), **options)
    except (ValueError, PageNotAnInteger):
        table.paginate(page=1, **options)
    except EmptyPage:
        table.paginate(page=table.paginator.num_pages, **options)
    return table


def sort(table, order_by):
    """Sort as asked, then by primary key: rows that tie keep one order on every page and export.

    Without it, PostgreSQL may return tied rows (equal amounts) in another order for page 2
    than for page 1, so the pager would show some twice and skip others.
    """
    table.order_by = order_by
    rows = table.data.data
    if isinstance(rows, QuerySet):
        table.data.data = rows.order_by(*rows.query.order_by, "pk")
