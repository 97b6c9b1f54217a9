import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from funding.dataset import DEFAULT_DATA_FILE, DataFileError, load_data_file
from funding.models import Contribution, DateEstimate, Milestone, Programme, Source

pytestmark = pytest.mark.django_db


def row_counts():
    funding = apps.get_app_config("funding")
    return {model.__name__: model.objects.count() for model in funding.get_models()}


def data_file(tmp_path, change):
    """A copy of the shipped data file with `change` applied to its parsed JSON."""
    document = json.loads(DEFAULT_DATA_FILE.read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_loading_twice_changes_nothing():
    call_command("load_aifabriek", verbosity=0)
    first = row_counts()
    report = load_data_file()
    assert (report.changed, report.kept) == (False, ["ai-fabriek-groningen"])
    assert row_counts() == first
    # History rows count too: a repeat load saves nothing, so it records nothing.
    assert first["HistoricalContribution"] == 3


def test_loader_creates_the_aifabriek_data_set(aifabriek):
    assert aifabriek.name == "AI-fabriek Groningen"
    assert aifabriek.target == Decimal("200000000.00")
    assert sorted(aifabriek.contributions.values_list("key", "status", "amount")) == [
        ("eu-cofinanciering", "requested", Decimal("70000000.00")),
        ("nij-begun", "committed", Decimal("60000000.00")),
        ("rijk", "committed", Decimal("70000000.00")),
    ]
    partners = aifabriek.partners.values_list("organisation__name", flat=True)
    assert sorted(partners) == ["AIC4NL", "SURF", "Samenwerking Noord", "TNO"]
    assert Milestone.objects.filter(programme=aifabriek).count() == 5


def test_supercomputer_has_both_estimates_with_their_sources(aifabriek):
    estimates = DateEstimate.objects.filter(milestone__key="supercomputer-volle-kracht")
    by_source = {e.source.title: (e.precision, e.year, e.period) for e in estimates}
    assert by_source == {
        "Defensie investeert in AI-fabriek in Groningen": ("part", 2026, 3),
        "Nederland zet in op €200 miljoen voor AI-fabriek in Groningen": ("part", 2027, 1),
    }


def test_every_contribution_cites_a_source_with_a_quote(aifabriek):
    for contribution in Contribution.objects.all():
        citations = list(contribution.citations.all())
        assert len(citations) == 2
        assert all(citation.quote for citation in citations)


def test_every_quote_appears_in_its_source_text():
    document = json.loads(DEFAULT_DATA_FILE.read_text(encoding="utf-8"))
    texts_dir = DEFAULT_DATA_FILE.parent / "sources"
    texts = {
        s["key"]: (texts_dir / f"{s['key']}.txt").read_text("utf-8") for s in document["sources"]
    }
    cited = []
    for programme in document["programmes"]:
        cited.append(programme["target_source"])
        for contribution in programme["contributions"]:
            cited.extend(contribution["sources"])
        cited.extend(programme["partners"])
        for milestone in programme["milestones"]:
            if "source" in milestone:
                cited.append(milestone)
            cited.extend(milestone["estimates"])
    assert len(cited) == 17
    for citation in cited:
        assert citation["quote"] in texts[citation["source"]], citation["quote"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["programmes"][0]["contributions"][1].update(amount="sixty million"),
            "programmes[0] (ai-fabriek-groningen) > contributions[1] (nij-begun), "
            "field 'amount': 'sixty million' is not a number",
        ),
        (
            lambda d: d["programmes"][0]["contributions"][2].update(status="granted"),
            "contributions[2] (eu-cofinanciering), field 'status': 'granted' is not one of",
        ),
        (
            lambda d: d["programmes"][0]["milestones"][4]["estimates"][1].update(date="soonish"),
            "milestones[4] (supercomputer-volle-kracht) > estimates[1], field 'date'",
        ),
        (
            lambda d: d["programmes"][0]["contributions"][0].update(funder="nato"),
            "contributions[0] (rijk), field 'funder': 'nato' is not a known key",
        ),
        (
            lambda d: d["programmes"][0].update(target="-5"),
            "programmes[0] (ai-fabriek-groningen), field 'target': '-5' must be a number of euros",
        ),
        (
            lambda d: d["sources"][1].pop("title"),
            "sources[1], field 'title': is missing",
        ),
    ],
    ids=["amount", "status", "date", "funder", "negative target", "missing title"],
)
def test_malformed_file_names_entry_and_field_and_writes_nothing(tmp_path, change, message):
    path = data_file(tmp_path, change)
    before = row_counts()
    with pytest.raises(DataFileError) as error:
        load_data_file(path)
    assert message in str(error.value)
    assert row_counts() == before
    assert Programme.objects.count() == 0
    assert Source.objects.count() == 0


def test_malformed_file_leaves_an_earlier_load_untouched(tmp_path, aifabriek):
    before = row_counts()
    path = data_file(
        tmp_path,
        lambda d: (
            d["programmes"][0].update(target="250000000.00"),
            d["programmes"][0]["contributions"][2].update(amount="abc"),
        ),
    )
    with pytest.raises(DataFileError):
        load_data_file(path)
    assert row_counts() == before
    assert Programme.objects.get(pk=aifabriek.pk).target == Decimal("200000000.00")


def test_command_reports_the_problem_and_that_nothing_was_loaded(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"sources": [}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"Nothing was loaded\. .*bad\.json: line 1: not valid"):
        call_command("load_aifabriek", file=path)


def test_command_says_in_one_line_that_nothing_changed(capsys):
    call_command("load_aifabriek")
    capsys.readouterr()
    call_command("load_aifabriek")
    assert capsys.readouterr().out == (
        "aifabriek.json: nothing changed. Programme ai-fabriek-groningen is already in the "
        "database, which now holds the truth; the data file only seeds an absent programme.\n"
    )
