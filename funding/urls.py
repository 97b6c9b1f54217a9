from django.urls import path

from funding.views import dashboard, public

app_name = "funding"

urlpatterns = [
    path("", public.home, name="home"),
    path("programmes/<slug:slug>/", public.programme_detail, name="programme"),
    path("dashboard/", dashboard.portfolio, name="dashboard"),
    path("dashboard/<slug:slug>/", dashboard.programme, name="dashboard_programme"),
    path(
        "dashboard/<slug:slug>/contributions/",
        dashboard.contributions,
        name="dashboard_contributions",
    ),
]
