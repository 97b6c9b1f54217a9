"""Staff dashboards: policy staff and funding admins see every record, public or not."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.two_factor import (
    dashboards_need_second_factor,
    second_factor_given,
    second_factor_url,
)
from funding import charts
from funding.as_of import day_of, programme_as_of, with_as_of
from funding.cache import cached, generation, query_key
from funding.dashboards import (
    largest_targets,
    portfolio_programmes,
    programme_dashboard,
)
from funding.drilldown import filtered_rows
from funding.exports import EXPORT_FORMATS, contribution_rows, export_response
from funding.filters import ContributionFilter
from funding.models import Programme
from funding.opendata import last_changed
from funding.permissions import can_edit_in_admin, may_view_dashboards
from funding.tables import (
    ContributionTable,
    KeysFirstPaginator,
    PortfolioTable,
    RowsSortedByKey,
    configure,
    counted,
    requested_order,
    sort,
)

PORTFOLIO_PER_PAGE = 25
CONTRIBUTIONS_PER_PAGE = 25


def dashboard_access(view):
    """Anonymous users are sent to sign in; signed-in users outside the two groups get 403.

    Where STAFF_REQUIRE_2FA says so, policy staff give a second factor first. Dashboards only
    read: the others get 405 for anything but GET and HEAD.
    """
    view = require_safe(view)

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_view_dashboards(request.user):
            raise PermissionDenied
        if dashboards_need_second_factor(request.user) and not second_factor_given(request):
            return redirect(second_factor_url(request, request.get_full_path()))
        return view(request, *args, **kwargs)

    return guarded


def _staff_context(request, **context):
    context["admin_link"] = can_edit_in_admin(request.user)
    context["fragment_key"] = staff_fragment_key(request)
    context["fragment_seconds"] = settings.PUBLIC_CACHE_SECONDS
    return context


def staff_fragment_key(request) -> str:
    """What a rendered table depends on: the data's generation, the language and the address.

    django-tables2 spends most of a dashboard's time rendering cells, and every member of staff
    sees the same table for the same address, so the templates cache it (`{% cache %}`) under
    this key until a funding record changes.
    """
    return ":".join((generation(), get_language() or "nl", query_key(request.get_full_path())))


@dashboard_access
def portfolio(request):
    programmes = portfolio_programmes()
    table = configure(
        PortfolioTable(RowsSortedByKey(programmes)), request, per_page=PORTFOLIO_PER_PAGE
    )
    compared = largest_targets(programmes)
    context = _staff_context(
        request,
        table=table,
        compared=compared,
        chart=charts.portfolio_comparison(compared),
        # Every record counts on the staff pages: the newest change to any of them.
        as_of=day_of(cached(("last_changed",), last_changed)),
    )
    return render(request, "funding/dashboard/portfolio.html", context)


@dashboard_access
def programme(request, slug):
    dashboard = programme_dashboard(slug)
    currency = dashboard.programme.currency
    dashboard.charts = {
        "by_funder": charts.funding_by_funder(dashboard.by_funder, currency=currency),
        "over_time": _over_time_chart(dashboard),
        "progress": charts.progress_to_target(dashboard.summary),
        "forecast": charts.decision_forecast(dashboard.forecast, today=timezone.localdate()),
    }
    context = _staff_context(request, dashboard=dashboard, programme=dashboard.programme)
    return render(request, "funding/dashboard/programme.html", context)


def _over_time_chart(dashboard) -> dict:
    over_time, currency = dashboard.over_time, dashboard.programme.currency
    if over_time.dated:
        return charts.funds_over_time(over_time.points, currency=currency)
    return charts.current_standing(over_time.points[-1], currency=currency, label=_("Now"))


@dashboard_access
def contributions(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    queryset = (
        programme.contributions.with_disbursed()
        .select_related("funder", "programme")
        .order_by("-amount", "key")
    )
    filterset = ContributionFilter(request.GET or None, queryset, programme=programme)
    table = ContributionTable(filterset.qs)
    export_format = request.GET.get("export")
    if export_format in EXPORT_FORMATS:
        if order_by := requested_order(table, request):
            sort(table, order_by)
        response = export_response(
            contribution_rows(table.data.data),
            export_format=export_format,
            filename=f"{programme.slug}-contributions",
        )
        as_of = programme_as_of(programme, public_only=False)
        return with_as_of(
            response, as_of, filename=f"{programme.slug}-contributions", extension=export_format
        )
    # The rows are counted with their sums; the pager takes the count rather than count again.
    rows = filtered_rows(programme, filterset.qs)
    paginator = counted(KeysFirstPaginator, rows.shown)
    configure(table, request, per_page=CONTRIBUTIONS_PER_PAGE, paginator_class=paginator)
    context = _staff_context(
        request,
        programme=programme,
        filterset=filterset,
        table=table,
        export_formats=list(EXPORT_FORMATS),
        as_of=programme_as_of(programme, public_only=False),
        rows=rows,
    )
    return render(request, "funding/dashboard/contributions.html", context)
