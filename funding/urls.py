"""The app's URL map; docs/architecture.md names the module behind each family of addresses."""

from django.urls import path
from django.views.decorators.http import require_safe

from funding.changes import views as changes
from funding.changes.feeds import programme_feed
from funding.dashboards import chart_csv as dashboard_charts
from funding.dashboards import views as dashboard
from funding.opendata import descriptions as api_descriptions
from funding.opendata import views as api
from funding.opendata.oc4ids_views import portfolio_package_json, programme_package_json
from funding.public import chart_csv, embed_views
from funding.public import views as public

app_name = "funding"

urlpatterns = [
    path("", public.home, name="home"),
    path("programmes/<slug:slug>/", public.programme_detail, name="programme"),
    path("programmes/<slug:slug>/feed/", require_safe(programme_feed), name="feed"),
    path("programmes/<slug:slug>/changes/", changes.programme_changes, name="changes"),
    path("programmes/<slug:slug>/badge.svg", embed_views.badge, name="badge"),
    path("programmes/<slug:slug>/embed/", embed_views.embed, name="embed"),
    path(
        "programmes/<slug:slug>/charts/<slug:chart>.csv", chart_csv.public_chart, name="chart_csv"
    ),
    path("toegankelijkheid/", public.accessibility, name="accessibility"),
    path("api/programmes/", api.programme_list, name="api_programmes"),
    path("api/programmes/<slug:slug>/", api.programme_detail, name="api_programme"),
    path(
        "api/programmes/<slug:slug>/contributions/",
        api.contributions_page,
        name="api_contributions",
    ),
    path(
        "api/programmes/<slug:slug>/contributions.csv",
        api.contributions_csv,
        name="api_contributions_csv",
    ),
    path(
        "api/programmes/<slug:slug>/oc4ids.json",
        programme_package_json,
        name="api_programme_oc4ids",
    ),
    path("api/oc4ids.json", portfolio_package_json, name="api_oc4ids"),
    path("api/openapi.json", api_descriptions.openapi_json, name="api_openapi"),
    path("api/datapackage.json", api_descriptions.datapackage_json, name="api_datapackage"),
    path(
        "api/schemas/contributions.json",
        api_descriptions.contributions_schema_json,
        name="api_contributions_schema",
    ),
    path("dashboard/", dashboard.portfolio, name="dashboard"),
    path(
        "dashboard/charts/<slug:chart>.csv",
        dashboard_charts.portfolio_chart,
        name="dashboard_portfolio_chart_csv",
    ),
    path("dashboard/<slug:slug>/", dashboard.programme, name="dashboard_programme"),
    path(
        "dashboard/<slug:slug>/contributions/",
        dashboard.contributions,
        name="dashboard_contributions",
    ),
    path(
        "dashboard/<slug:slug>/charts/<slug:chart>.csv",
        dashboard_charts.programme_chart,
        name="dashboard_chart_csv",
    ),
]
