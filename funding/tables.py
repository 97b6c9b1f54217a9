"""django-tables2 tables for the dashboards, and how a request configures them."""

import django_tables2 as tables
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from funding.formatting import format_money, format_share
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
        template_name = TEMPLATE
        attrs = {"class": "utrecht-table dashboard-table portfolio-table"}
        empty_text = _("No programmes recorded.")

    def render_name(self, value, record):
        url = reverse("funding:dashboard_programme", kwargs={"slug": record.slug})
        return format_html('<a class="utrecht-link" href="{}">{}</a>', url, value)

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

    def render_amount(self, value, record):
        return format_money(value, record.programme.currency)

    def render_disbursed(self, value, record):
        return format_money(value, record.programme.currency)

    def render_is_public(self, value):
        return _("public") if value else _("not public")


def configure(table, request, *, per_page: int):
    """Sort and paginate from the query string; nonsense sorts are ignored, bad pages fall back.

    The page size is ours, not the request's, so no one can ask for a page that costs more.
    """
    table.request = request
    order_by = request.GET.getlist(table.prefixed_order_by_field)
    if order_by:
        table.order_by = order_by
    try:
        table.paginate(page=int(request.GET.get(table.prefixed_page_field, 1)), per_page=per_page)
    except (ValueError, PageNotAnInteger):
        table.paginate(page=1, per_page=per_page)
    except EmptyPage:
        table.paginate(page=table.paginator.num_pages, per_page=per_page)
    return table
