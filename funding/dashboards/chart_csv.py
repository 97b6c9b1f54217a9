"""The dashboards' charts' numbers as CSV, the rows of the table beside each chart
(funding/figures/chart_data.py): staff data, with the dashboards' access.
"""

from django.http import Http404

from funding.dashboards.builders import largest_targets, portfolio_programmes, programme_dashboard
from funding.dashboards.exports import export_response
from funding.dashboards.views import dashboard_access, programme_access, visible_rows
from funding.figures import chart_data
from funding.spreadsheets import dated_filename


@programme_access
def programme_chart(request, slug, chart):
    if chart not in chart_data.PROGRAMME_CHARTS:
        raise Http404("No such chart on the programme dashboard.")
    dashboard = programme_dashboard(slug)
    currency = dashboard.programme.currency
    if chart == "progress":
        rows = chart_data.progress_rows(dashboard.summary)
    elif chart == "by-funder":
        rows = chart_data.by_funder_rows(dashboard.by_funder, currency=currency)
    else:
        rows = chart_data.over_time_rows(dashboard.over_time.points, currency=currency)
    return export_response(rows, export_format="csv", filename=dated_filename(slug, chart))


@dashboard_access
def portfolio_chart(request, chart):
    if chart not in chart_data.PORTFOLIO_CHARTS:
        raise Http404("No such chart on the portfolio dashboard.")
    programmes = visible_rows(request.user, portfolio_programmes())
    rows = chart_data.comparison_rows(largest_targets(programmes))
    return export_response(rows, export_format="csv", filename=dated_filename("portfolio", chart))
