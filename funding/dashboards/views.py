"""Staff dashboards: policy staff and funding admins see every record, public or not."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.two_factor import needs_second_factor, second_factor_given, second_factor_url
from funding.cache import HTML_TYPE, Rendered, cached
from funding.dashboards import charts
from funding.dashboards.builders import (
    largest_targets,
    portfolio_programmes,
    programme_dashboard,
)
from funding.dashboards.cockpit_page import build_cockpit
from funding.dashboards.drilldown import filtered_rows
from funding.dashboards.exports import EXPORT_FORMATS, export_response, staff_export_rows
from funding.dashboards.filters import ContributionFilter
from funding.dashboards.tables import (
    ContributionTable,
    KeysFirstPaginator,
    PortfolioTable,
    RowsSortedByKey,
    configure,
    counted,
    requested_order,
    sort,
)
from funding.figures.as_of import day_of, programme_as_of, with_as_of
from funding.history import last_changed
from funding.models import Programme
from funding.permissions import (
    can_edit_in_admin,
    may_view_dashboards,
    visible_programme_ids,
    visible_scope,
)

PORTFOLIO_PER_PAGE = 25
CONTRIBUTIONS_PER_PAGE = 25


def dashboard_access(view):
    """Anonymous users are sent to sign in; signed-in users outside the two groups get 403.

    Whoever needs a second factor (accounts/two_factor.py) gives it first. Dashboards only
    read: the others get 405 for anything but GET and HEAD.
    """
    view = require_safe(view)

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_view_dashboards(request.user):
            raise PermissionDenied
        if needs_second_factor(request.user) and not second_factor_given(request):
            return redirect(second_factor_url(request, request.get_full_path()))
        return view(request, *args, **kwargs)

    return guarded


def visible_rows(user, rows):
    """The portfolio's rows of the programmes the user may see (funding/permissions.py)."""
    ids = visible_programme_ids(user)
    return rows if ids is None else [row for row in rows if row.pk in ids]


def require_visible(user, slug: str) -> None:
    """A programme the user may not see answers 404, as an unknown one: no name shows."""
    ids = visible_programme_ids(user)
    if ids is not None and not Programme.objects.filter(slug=slug, pk__in=ids).exists():
        raise Http404


def programme_access(view):
    """`dashboard_access`, and the programme of the address visible to the user."""

    @wraps(view)
    def checked(request, slug, *args, **kwargs):
        require_visible(request.user, slug)
        return view(request, slug, *args, **kwargs)

    return dashboard_access(checked)


def _staff_page(
    request, template: str, body_template: str, build, *, seen: str = "-", page_context=None
):
    """Render a dashboard page whose body (all but the navigation) is cached for all staff.

    Rendering the figures, charts and tables is most of a dashboard's time, and every member of
    staff sees the same body for the same address, so it is rendered once per change, language,
    address and day. `build()` returns the page's own context (the programme its title and
    navigation name) and the body's; it runs, and queries, only when the body is not cached.
    Only the navigation, which holds the visitor's own admin link, is rendered per request.
    A body that lists programmes differs by what the visitor may see: `seen`
    (`visible_scope`) keeps it apart, and shared by all who see the same programmes.
    """

    def render_body():
        context, body_context = build()
        body = render_to_string(body_template, {**context, **body_context}, request)
        return context, Rendered.of(body, HTML_TYPE)

    # Depends on the language, the address, and the day (the series end today; a milestone
    # becomes overdue).
    context, body = cached(
        ("page", template, seen),
        render_body,
        scope="staff",
        day=timezone.localdate(),
        address=request.get_full_path(),
    )
    # Our own template's output, escaped when it was rendered.
    context = {**context, "body": mark_safe(body.text)}
    context["admin_link"] = can_edit_in_admin(request.user)
    context.update(page_context or {})
    return render(request, template, context)


@dashboard_access
def portfolio(request):
    def build():
        programmes = visible_rows(request.user, portfolio_programmes())
        table = configure(
            PortfolioTable(RowsSortedByKey(programmes)), request, per_page=PORTFOLIO_PER_PAGE
        )
        compared = largest_targets(programmes)
        return {}, {
            "table": table,
            "compared": compared,
            "chart": charts.portfolio_comparison(compared),
            # Every record counts on the staff pages: the newest change to any of them.
            "as_of": day_of(cached(("last_changed",), last_changed)),
        }

    # What needs this person comes first; it is theirs, so it is not part of the shared body.
    cockpit = build_cockpit(
        request.user,
        today=timezone.localdate(),
        expand=request.GET.get("needs"),
        page=request.GET.get("needs_page"),
    )
    return _staff_page(
        request,
        "funding/dashboard/portfolio.html",
        "funding/dashboard/_portfolio_body.html",
        build,
        page_context={"cockpit": cockpit},
        seen=visible_scope(request.user),
    )


@programme_access
def programme(request, slug):
    def build():
        dashboard = programme_dashboard(slug)
        currency = dashboard.programme.currency
        dashboard.charts = {
            "by_funder": charts.funding_by_funder(dashboard.by_funder, currency=currency),
            "over_time": _over_time_chart(dashboard),
            "progress": charts.progress_to_target(dashboard.summary),
            "forecast": charts.decision_forecast(dashboard.forecast, today=timezone.localdate()),
        }
        return {"programme": dashboard.programme}, {"dashboard": dashboard}

    return _staff_page(
        request, "funding/dashboard/programme.html", "funding/dashboard/_programme_body.html", build
    )


def _over_time_chart(dashboard) -> dict:
    over_time, currency = dashboard.over_time, dashboard.programme.currency
    if over_time.dated:
        return charts.funds_over_time(over_time.points, currency=currency)
    return charts.current_standing(over_time.points[-1], currency=currency, label=_("Now"))


@programme_access
def contributions(request, slug):
    if request.GET.get("export") in EXPORT_FORMATS:
        return _export(request, slug)

    def build():
        programme = get_object_or_404(Programme, slug=slug)
        filterset = ContributionFilter(
            request.GET or None, _rows_of(programme), programme=programme
        )
        table = ContributionTable(filterset.qs)
        # The rows are counted with their sums; the pager takes the count rather than count again.
        rows = filtered_rows(programme, filterset.qs)
        paginator = counted(KeysFirstPaginator, rows.shown)
        configure(table, request, per_page=CONTRIBUTIONS_PER_PAGE, paginator_class=paginator)
        return {"programme": programme}, {
            "filterset": filterset,
            "table": table,
            "export_formats": list(EXPORT_FORMATS),
            "as_of": programme_as_of(programme, public_only=False),
            "rows": rows,
        }

    return _staff_page(
        request,
        "funding/dashboard/contributions.html",
        "funding/dashboard/_contributions_body.html",
        build,
    )


def _rows_of(programme):
    return (
        programme.contributions.with_disbursed()
        .select_related("funder", "programme")
        .order_by("-amount", "key")
    )


def _export(request, slug):
    """The filtered rows in the table's order, as a download: every row, not one page."""
    programme = get_object_or_404(Programme, slug=slug)
    filterset = ContributionFilter(request.GET or None, _rows_of(programme), programme=programme)
    table = ContributionTable(filterset.qs)
    if order_by := requested_order(table, request):
        sort(table, order_by)
    export_format = request.GET["export"]
    response = export_response(
        staff_export_rows(table.data.data),
        export_format=export_format,
        filename=f"{programme.slug}-contributions",
    )
    as_of = programme_as_of(programme, public_only=False)
    return with_as_of(
        response, as_of, filename=f"{programme.slug}-contributions", extension=export_format
    )
