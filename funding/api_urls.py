"""The open data's URL map: language-neutral, at the same addresses for every reader.

Apart from the pages' map (funding/urls.py, which aifabriek/urls.py serves under each language's
prefix), so that no `/en/api/…` address exists. Its names are in the `api` namespace.
"""

from django.urls import path

from funding.opendata import descriptions
from funding.opendata import views as api
from funding.opendata.oc4ids_views import portfolio_package_json, programme_package_json

app_name = "api"

urlpatterns = [
    path("api/programmes/", api.programme_list, name="programmes"),
    path("api/programmes/<slug:slug>/", api.programme_detail, name="programme"),
    path(
        "api/programmes/<slug:slug>/contributions/",
        api.contributions_page,
        name="contributions",
    ),
    path(
        "api/programmes/<slug:slug>/contributions.csv",
        api.contributions_csv,
        name="contributions_csv",
    ),
    path(
        "api/programmes/<slug:slug>/oc4ids.json",
        programme_package_json,
        name="programme_oc4ids",
    ),
    path("api/oc4ids.json", portfolio_package_json, name="oc4ids"),
    path("api/openapi.json", descriptions.openapi_json, name="openapi"),
    path("api/datapackage.json", descriptions.datapackage_json, name="datapackage"),
    path(
        "api/schemas/contributions.json",
        descriptions.contributions_schema_json,
        name="contributions_schema",
    ),
]
