"""Scenarios: the committed total and the gap to the target if a pending request is granted or
refused, from the context builder, on the public page, on the dashboard and in the API."""

import re
from decimal import Decimal

import pytest
from django.utils import translation

from funding.figures.scenarios import Outcome, programme_scenarios
from funding.models import ContributionStatus, Programme
from tests.support.factories import ContributionFactory, OrganisationFactory, ProgrammeFactory
from tests.support.pages import address_in

pytestmark = pytest.mark.django_db

PAGE = "/programmes/ai-fabriek-groningen/"
DASHBOARD = "/dashboard/ai-fabriek-groningen/"
API = "/api/programmes/ai-fabriek-groningen/"
M = Decimal("1000000")


def scenarios_of(programme, *, public_only):
    with_totals = Programme.objects.with_totals(public_only=public_only).get(pk=programme.pk)
    return programme_scenarios(with_totals, public_only=public_only)


def get_html(client, url, language="en"):
    response = client.get(address_in(url, language))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def hidden_request(aifabriek):
    """A non-public pending request of €5M: on the dashboard, never on a public surface."""
    return ContributionFactory(
        programme=aifabriek,
        funder=OrganisationFactory(name="Hidden Fund"),
        amount=Decimal("5000000.00"),
        status=ContributionStatus.REQUESTED,
        is_public=False,
    )


def test_the_eu_request_granted_reaches_the_target_and_refused_leaves_70m_short(aifabriek):
    scenarios = scenarios_of(aifabriek, public_only=True)
    [eu] = scenarios.pending
    assert (eu.key, eu.amount) == ("eu-cofinanciering", Decimal("70000000.00"))
    assert eu.granted == Outcome(200 * M, Decimal("0.00"), Decimal("0.00"), 200 * M)
    assert eu.refused == Outcome(130 * M, 70 * M, Decimal("0.00"), 200 * M)
    assert scenarios.all_pending.granted.total == Decimal("200000000.00")
    assert scenarios.all_pending.refused.gap == Decimal("70000000.00")
    assert scenarios.pending_count == 1


def test_the_sentence_reads_naturally_in_english(aifabriek):
    with translation.override("en"):
        sentences = scenarios_of(aifabriek, public_only=True).sentences
    assert sentences == [
        "If the request to European Union for €70 million is granted, the investment comes to "
        "€200 million, which reaches the target.",
        "If it is refused, the investment comes to €130 million: €70 million short of the target.",
    ]


def test_a_funder_without_an_english_name_is_marked_as_dutch(aifabriek):
    eu = aifabriek.contributions.get(key="eu-cofinanciering").funder
    eu.name_en = ""
    eu.save()
    with translation.override("en"):
        [granted, _] = scenarios_of(aifabriek, public_only=True).sentences
    assert granted.startswith('If the request to <span lang="nl">Europese Unie</span> for')


def test_the_sentence_reads_naturally_in_dutch(aifabriek):
    with translation.override("nl"):
        sentences = scenarios_of(aifabriek, public_only=True).sentences
    assert sentences == [
        "Als de aanvraag van € 70 miljoen bij Europese Unie wordt toegekend, komt de investering "
        "op € 200 miljoen en is het doel bereikt.",
        "Wordt die afgewezen, dan komt de investering op € 130 miljoen: € 70 miljoen minder dan "
        "het doel.",
    ]


def test_several_pending_requests_are_summed_and_a_surplus_is_named():
    programme = ProgrammeFactory(target=Decimal("100.00"))
    ContributionFactory(programme=programme, amount=Decimal("60.00"))
    for amount in ("30.00", "25.50"):
        ContributionFactory(
            programme=programme, amount=Decimal(amount), status=ContributionStatus.REQUESTED
        )
    scenarios = scenarios_of(programme, public_only=False)
    assert [s.granted.total for s in scenarios.pending] == [Decimal("90.00"), Decimal("85.50")]
    assert [s.granted.gap for s in scenarios.pending] == [Decimal("10.00"), Decimal("14.50")]
    together = scenarios.all_pending
    assert (together.amount, together.granted.total) == (Decimal("55.50"), Decimal("115.50"))
    assert (together.granted.gap, together.granted.surplus) == (Decimal("0.00"), Decimal("15.50"))
    with translation.override("en"):
        granted, refused = scenarios.sentences
    assert granted == (
        "If all 2 pending requests (€55.50 together) are granted, the investment comes to "
        "€115.50: €15.50 more than the target."
    )
    assert (
        refused == "If they are all refused, the investment comes to €60: €40 short of the target."
    )


def test_nothing_pending_gives_no_scenario_and_no_sentence():
    programme = ProgrammeFactory()
    ContributionFactory(programme=programme, amount=Decimal("10.00"))
    scenarios = scenarios_of(programme, public_only=True)
    assert (scenarios.pending, scenarios.all_pending) == ([], None)
    assert scenarios.committed == Decimal("10.00")
    assert scenarios.sentences == []


def test_only_the_largest_pending_are_listed_and_all_count(aifabriek):
    programme = ProgrammeFactory(target=Decimal("1000.00"))
    for amount in range(1, 13):
        ContributionFactory(
            programme=programme, amount=Decimal(amount), status=ContributionStatus.REQUESTED
        )
    scenarios = scenarios_of(programme, public_only=False)
    assert len(scenarios.pending) == 10
    assert (scenarios.pending_count, scenarios.pending_not_shown) == (12, 2)
    assert scenarios.all_pending.amount == Decimal("78.00")


def test_the_public_page_says_what_granted_and_refused_make(client, aifabriek):
    html = get_html(client, PAGE, "en")
    assert "If it is refused, the investment comes to €130 million: €70 million short" in html
    assert "the investment comes to €200 million, which reaches the target." in html
    dutch = get_html(client, PAGE, "nl")
    assert "komt de investering op € 130 miljoen: € 70 miljoen minder dan het doel." in dutch


def test_non_public_requests_never_count_on_public_surfaces(client, aifabriek, hidden_request):
    html = get_html(client, PAGE, "en")
    assert "Hidden Fund" not in html
    assert "€200 million, which reaches the target" in html
    scenarios = client.get(API).json()["scenarios"]
    assert [row["key"] for row in scenarios["pending"]] == ["eu-cofinanciering"]
    assert scenarios["all_pending"]["amount"] == "70000000.00"
    assert "Hidden Fund" not in client.get(API).content.decode()


def test_the_dashboard_counts_non_public_requests_too(staff_client, aifabriek, hidden_request):
    html = get_html(staff_client, DASHBOARD)
    table = html[
        html.index('id="scenarios-caption"') : html.index(
            "</table>", html.index("scenarios-caption")
        )
    ]
    rows = re.findall(r"<tr class=\"utrecht-table__row[^\"]*\">(.*?)</tr>", table, re.S)
    cells = [re.findall(r'<td class="number">(.*?)</td>', row) for row in rows[1:]]
    assert cells == [
        ["€70,000,000", "€200,000,000", "€0", "€130,000,000", "€70,000,000"],
        ["€5,000,000", "€135,000,000", "€65,000,000", "€130,000,000", "€70,000,000"],
        ["€75,000,000", "€205,000,000", "€5,000,000 over", "€130,000,000", "€70,000,000"],
    ]
    assert "Hidden Fund" in rows[2] and "not public" in rows[2]


def test_the_dashboard_scenario_table_has_the_shipped_figures(staff_client, aifabriek):
    html = get_html(staff_client, DASHBOARD)
    scenarios = staff_client.get(DASHBOARD).context["dashboard"].scenarios
    [eu] = scenarios.pending
    assert (eu.granted.total, eu.granted.gap) == (Decimal("200000000.00"), Decimal("0.00"))
    assert (eu.refused.total, eu.refused.gap) == (Decimal("130000000.00"), Decimal("70000000.00"))
    assert "Scenarios: if pending requests are granted or refused" in html


def test_the_api_gives_the_scenarios_as_decimal_strings(client, aifabriek):
    scenarios = client.get(API).json()["scenarios"]
    assert scenarios["committed"] == "130000000.00"
    assert scenarios["pending_count"] == 1
    assert scenarios["all_pending"] == {
        "amount": "70000000.00",
        "if_granted": {"total": "200000000.00", "gap": "0.00", "surplus": "0.00"},
        "if_refused": {"total": "130000000.00", "gap": "70000000.00", "surplus": "0.00"},
    }
    [eu] = scenarios["pending"]
    assert eu["key"] == "eu-cofinanciering"
    assert eu["if_refused"] == {"total": "130000000.00", "gap": "70000000.00", "surplus": "0.00"}
    assert eu["decision_expected"] == []


def test_the_page_and_the_api_agree(client, aifabriek):
    with translation.override("en"):
        sentences = scenarios_of(aifabriek, public_only=True).sentences
    api = client.get(API).json()["scenarios"]["all_pending"]
    assert Decimal(api["if_refused"]["total"]) == Decimal("130000000.00")
    assert "€130 million" in sentences[1]
