"""The pages' URL map, served in each language (under `i18n_patterns` in aifabriek/urls.py); the
open data's is funding/api_urls.py. docs/architecture.md names the module behind each address."""

from django.urls import path
from django.views.decorators.http import require_safe

from funding.changes import views as changes
from funding.changes.feeds import programme_feed
from funding.dashboards import chart_csv as dashboard_charts
from funding.dashboards import views as dashboard
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
