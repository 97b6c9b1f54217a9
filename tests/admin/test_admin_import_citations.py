"""An import writes the history of the citations it adds: the page as it stood on a day cites
what it cited then (funding/figures/past/)."""

from funding.models import ContributionSource
from tests.support.admin_forms import confirm, sign_in_in_english, upload

EZ = "ez-ai-fabriek-200-miljoen"


def test_an_import_records_the_citations_it_adds_and_leaves_the_others(
    client, aifabriek, funding_admin
):
    controller = sign_in_in_english(client, funding_admin)
    eu_citation = ContributionSource.objects.get(
        contribution__key="eu-cofinanciering", source__key=EZ
    )
    versions_before = eu_citation.history.count()
    content = (
        "key,funder,amount,status,effective_on,source,quote\n"
        f"eu-cofinanciering,europese-unie,70000000,committed,2025-11-03,{EZ},Toegekend\n"
        f"provincie,regio-groningen-noord-drenthe,5000000,requested,,{EZ},Vijf miljoen\n"
    ).encode()

    confirm(controller, upload(controller, aifabriek, "bijdragen.csv", content))

    added = ContributionSource.objects.get(contribution__key="provincie")
    assert [(v.history_type, v.source_id, v.quote) for v in added.history.all()] == [
        ("+", added.source_id, "Vijf miljoen")
    ]
    assert eu_citation.history.count() == versions_before
