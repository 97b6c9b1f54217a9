"""The public page's charts' numbers as CSV, the rows of the table beside each chart
(funding/figures/chart_data.py): public figures and open data, cached, with an ETag, readable
from any origin. The dashboards' charts have theirs in funding/dashboards/chart_csv.py.
"""

from django.http import Http404

from funding.cache import Rendered, cached
from funding.conditional import open_data, per_request
from funding.figures import chart_data
from funding.public.embeds import public_summary
from funding.spreadsheets import EXPORT_FORMATS, csv_bytes, dated_filename


@per_request
def public_chart_document(request, slug, chart) -> Rendered | None:
    if chart not in chart_data.PUBLIC_CHARTS:
        return None

    def build():
        _programme, summary = public_summary(slug)
        return Rendered.of(
            csv_bytes(chart_data.progress_rows(summary), bom=True), EXPORT_FORMATS["csv"]
        )

    try:
        return cached(("chart.csv", slug, chart), build)
    except Http404:
        return None


@open_data(public_chart_document)
def public_chart(request, slug, chart):
    document = public_chart_document(request, slug, chart)
    if document is None:
        raise Http404("No such chart of a public programme.")
    response = document.response()
    response["Content-Disposition"] = f'attachment; filename="{dated_filename(slug, chart)}.csv"'
    return response
