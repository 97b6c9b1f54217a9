"""The documents that describe the open data are linked where the data is, in both languages,
and so reached by the link walker."""

import pytest

from tests.support.dataset import AIFABRIEK
from tests.support.link_walker import ANONYMOUS, walk
from tests.support.pages import address_in

PAGE = f"/programmes/{AIFABRIEK}/"
DESCRIPTIONS = {"/api/datapackage.json", "/api/openapi.json"}
OC4IDS = {f"/api/programmes/{AIFABRIEK}/oc4ids.json", "/api/oc4ids.json"}


@pytest.mark.parametrize(
    "language, package, description",
    [
        (
            "nl",
            "Datapakket: de kolommen van de CSV beschreven voor hergebruik (Frictionless, JSON)",
            "Beschrijving van de API (OpenAPI, JSON)",
        ),
        (
            "en",
            "Data package: the CSV columns described for reuse (Frictionless, JSON)",
            "API description (OpenAPI, JSON)",
        ),
    ],
)
def test_the_programme_page_links_both_descriptions(
    client, aifabriek, language, package, description
):
    html = client.get(address_in(PAGE, language)).content.decode()
    assert f'href="/api/datapackage.json">{package}</a>' in html
    assert f'href="/api/openapi.json">{description}</a>' in html


def test_the_link_walker_reaches_both_descriptions_and_the_oc4ids_packages(client, aifabriek):
    # One walk of the whole site (some seconds) serves both sets of links.
    opened = []
    get = client.get

    def recording_get(path, *args, **kwargs):
        opened.append(path)
        return get(path, *args, **kwargs)

    client.get = recording_get
    assert walk(client, ANONYMOUS).findings == []
    assert set(opened) >= DESCRIPTIONS
    assert set(opened) >= OC4IDS


@pytest.mark.parametrize(
    "language, programme, portfolio",
    [
        (
            "nl",
            "OC4IDS: dit programma in de datastandaard voor infrastructuurprojecten (JSON)",
            "OC4IDS: alle publieke programma's, twee per pagina (JSON)",
        ),
        (
            "en",
            "OC4IDS: this programme in the data standard for infrastructure projects (JSON)",
            "OC4IDS: every public programme, two a page (JSON)",
        ),
    ],
)
def test_the_programme_page_links_the_oc4ids_packages(
    client, aifabriek, language, programme, portfolio
):
    html = client.get(address_in(PAGE, language)).content.decode()
    assert f'href="/api/programmes/{AIFABRIEK}/oc4ids.json">{programme}</a>' in html
    assert f'href="/api/oc4ids.json">{portfolio}</a>' in html
