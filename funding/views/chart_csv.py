"""Each chart's numbers as CSV, the rows of the table beside it (funding/chart_data.py).

The public page's charts show public figures and are open data (cached, with an ETag, readable
from any origin); the dashboards' charts are staff data, with the dashboards' access.
"""

import hashlib

from django.http import Http404, HttpResponse
from django.utils import timezone

from funding import chart_data
from funding.cache import cached
from funding.dashboards import largest_targets, portfolio_programmes, programme_dashboard
from funding.embeds import public_summary
from funding.exports import EXPORT_FORMATS, csv_bytes, export_response
from funding.views.api import Document, open_data, per_request
from funding.views.dashboard import dashboard_access


def _filename(*parts: str) -> str:
    return "-".join([*parts, timezone.localdate().isoformat()])


@per_request
def public_chart_document(request, slug, chart) -> Document | None:
    if chart not in chart_data.PUBLIC_CHARTS:
        return None

    def build():
        _programme, summary = public_summary(slug)
        body = csv_bytes(chart_data.progress_rows(summary))
        return Document(body, hashlib.sha256(body).hexdigest()[:32], None)

    try:
        return cached(("chart.csv", slug, chart), build)
    except Http404:
        return None


@open_data(public_chart_document)
def public_chart(request, slug, chart):
    document = public_chart_document(request, slug, chart)
    if document is None:
        raise Http404("No such chart of a public programme.")
    response = HttpResponse(document.body, content_type=EXPORT_FORMATS["csv"])
    response["Content-Disposition"] = f'attachment; filename="{_filename(slug, chart)}.csv"'
    return response


@dashboard_access
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
    return export_response(rows, export_format="csv", filename=_filename(slug, chart))


@dashboard_access
def portfolio_chart(request, chart):
    if chart not in chart_data.PORTFOLIO_CHARTS:
        raise Http404("No such chart on the portfolio dashboard.")
    rows = chart_data.comparison_rows(largest_targets(portfolio_programmes()))
    return export_response(rows, export_format="csv", filename=_filename("portfolio", chart))
