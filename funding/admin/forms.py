"""The contribution form: a status change needs its date and source; payments stay in bounds."""

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funding.admin.versioning import VersionedModelForm
from funding.models import Contribution, Source, StatusChange
from funding.models.contributions import COUNTED_AS_COMMITTED, transition_allowed
from funding.models.payments import not_payable_error, over_commitment_error


class ContributionAdminForm(VersionedModelForm):
    status_effective_on = forms.DateField(
        label=_("Status took effect on"),
        required=False,
        widget=AdminDateWidget,
        help_text=_("The day the decision took effect, which may differ from today."),
    )
    status_source = forms.ModelChoiceField(
        Source.objects.all(),
        label=_("Source for the status change"),
        required=False,
        help_text=_("The document that records the decision."),
    )
    status_quote = forms.CharField(
        label=_("Quoted passage for the status change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )

    class Meta:
        model = Contribution
        fields = "__all__"

    def clean_status_effective_on(self):
        day = self.cleaned_data.get("status_effective_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(
                _("A decision cannot have taken effect in the future; give the day it did.")
            )
        return day

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        old = getattr(instance, "_saved_status", None)
        new = cleaned.get("status")
        if instance.pk is None or old is None or new is None or new == old:
            return cleaned
        reverting = getattr(instance, "_reverting", False)
        if not reverting and not transition_allowed(old, new):
            # The model refuses it with the message that names the allowed statuses.
            return cleaned
        if not reverting:
            if (
                cleaned.get("status_effective_on") is None
                and "status_effective_on" not in self.errors
            ):
                self.add_error(
                    "status_effective_on",
                    _("The status changes: give the day the decision took effect."),
                )
            if cleaned.get("status_source") is None:
                self.add_error(
                    "status_source",
                    _("The status changes: choose the source that records the decision."),
                )
        instance.status_change = StatusChange(
            effective_on=cleaned.get("status_effective_on"),
            source=cleaned.get("status_source"),
            quote=cleaned.get("status_quote", ""),
            note=getattr(instance, "_change_reason", "") if reverting else "",
        )
        return cleaned


class LabelledInlineFormSet(BaseInlineFormSet):
    """Tabular inline rows show their labels only as column headings: name each input too."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for field in form.fields.values():
            if field.label and not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", str(field.label))


class PaymentFormSet(LabelledInlineFormSet):
    """Payments entered together are checked together against the contribution's amount."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # The per-payment check reads the other payments from the database; here the formset
        # checks the sum of what was entered instead, which is what will be saved.
        form.instance._limit_checked_by_formset = True
        return form

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        amounts = [
            form.cleaned_data["amount"]
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("amount") is not None
        ]
        contribution = self.instance
        if amounts and contribution.status not in COUNTED_AS_COMMITTED:
            raise not_payable_error(contribution)
        paid = sum(amounts)
        if contribution.amount is not None and paid > contribution.amount:
            raise over_commitment_error(paid=paid, amount=contribution.amount)
