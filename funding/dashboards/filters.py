"""django-filter filters for the contributions table; values that do not fit are ignored."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from funding.languages import in_language, page_language
from funding.models import Contribution, ContributionStatus, Organisation, Payment

# Longer searches than this are cut, so a huge parameter costs no more than a normal one.
SEARCH_MAX_LENGTH = 200


class ContributionFilter(django_filters.FilterSet):
    # One status or several (`?status=committed&status=disbursed`): a figure such as the
    # committed total links to exactly the rows behind it.
    status = django_filters.MultipleChoiceFilter(
        label=_("Status (one or more; none: any)"),
        choices=ContributionStatus.choices,
        distinct=False,
        widget=forms.SelectMultiple(attrs={"size": len(ContributionStatus.choices)}),
    )
    funder = django_filters.ModelChoiceFilter(
        label=_("Funder"), queryset=Organisation.objects.none(), empty_label=_("Any funder")
    )
    instrument = django_filters.ChoiceFilter(
        label=_("Instrument or budget line"), choices=[], empty_label=_("Any instrument")
    )
    paid = django_filters.ChoiceFilter(
        label=_("Payments"),
        choices=[("yes", _("with payments")), ("no", _("without payments"))],
        empty_label=_("With or without payments"),
        method="filter_paid",
    )
    key = django_filters.CharFilter(label=_("Key"), max_length=80)
    notes = django_filters.CharFilter(
        label=_("Notes contain"), method="search_notes", max_length=SEARCH_MAX_LENGTH
    )

    class Meta:
        model = Contribution
        fields = ["status", "funder", "instrument", "paid", "key", "notes"]

    def __init__(self, data=None, queryset=None, *, programme, **kwargs):
        super().__init__(data, queryset, **kwargs)
        # A semi-join on the programme's funder index, not a DISTINCT over joined rows.
        self.filters["funder"].queryset = Organisation.objects.filter(
            pk__in=programme.contributions.values("funder")
        )
        instruments = (
            programme.contributions.exclude(instrument="")
            .values_list("instrument", "instrument_en")
            .distinct()
            .order_by("instrument")
        )
        self.filters["instrument"].extra["choices"] = lambda: instrument_choices(instruments)

    @property
    def form(self):
        form = super().form
        # Funders and instruments are named in the page's language where an admin wrote a
        # version in it; the values stay the originals that the rows hold.
        form.fields["funder"].label_from_instance = lambda funder: str(in_language(funder, "name"))
        return form

    def search_notes(self, queryset, name, value):
        return queryset.filter(notes__icontains=value.strip())

    def filter_paid(self, queryset, name, value):
        paid = Exists(Payment.objects.filter(contribution=OuterRef("pk")))
        return queryset.filter(paid) if value == "yes" else queryset.exclude(paid)


def instrument_choices(rows) -> list[tuple[str, str]]:
    """(instrument, its name in the page's language) for (instrument, instrument_en) rows."""
    english = page_language() == "en"
    names = {}
    for instrument, instrument_en in rows:
        if not names.get(instrument):
            names[instrument] = (instrument_en if english else "") or ""
    return [(instrument, name or instrument) for instrument, name in names.items()]
