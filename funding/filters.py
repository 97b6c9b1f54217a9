"""django-filter filters for the contributions table; values that do not fit are ignored."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

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
            .values_list("instrument", flat=True)
            .distinct()
            .order_by("instrument")
        )
        self.filters["instrument"].extra["choices"] = lambda: [(i, i) for i in instruments]

    def search_notes(self, queryset, name, value):
        return queryset.filter(notes__icontains=value.strip())

    def filter_paid(self, queryset, name, value):
        paid = Exists(Payment.objects.filter(contribution=OuterRef("pk")))
        return queryset.filter(paid) if value == "yes" else queryset.exclude(paid)
