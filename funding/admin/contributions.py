from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.lookups import IsNull
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportMixin

from funding.admin.forms import ContributionAdminForm, LabelledInlineFormSet, PaymentFormSet
from funding.admin.governed import announce
from funding.admin.import_formats import UnreadableFile
from funding.admin.importing import (
    IMPORT_FORMATS,
    ContributionConfirmImportForm,
    ContributionImportForm,
    ContributionResource,
)
from funding.admin.lists import (
    IndexedValuesFilter,
    ProgrammeChoiceFilter,
    TotalsPaginator,
    UsedRelatedFilter,
    indexed_search,
)
from funding.admin.scoping import ProgrammeScopedAdmin, ScopedInlineMixin, scoped_queryset
from funding.admin.sources import HasSourceFilter, SourceFlagMixin
from funding.admin.versioning import SafeHistoryAdmin, VersionedModelForm
from funding.formatting import format_money
from funding.governance.rules import parent_gate
from funding.models import (
    Contribution,
    ContributionShare,
    ContributionSource,
    DecisionEstimate,
    Payment,
    Programme,
    StatusEvent,
)
from funding.models.payments import over_commitment_error
from funding.permissions import may_edit_programme


class ContributionSourceInline(ScopedInlineMixin, admin.TabularInline):
    formset = LabelledInlineFormSet
    model = ContributionSource
    autocomplete_fields = ["source"]
    extra = 0


class ContributionShareInline(ScopedInlineMixin, admin.TabularInline):
    formset = LabelledInlineFormSet
    model = ContributionShare
    autocomplete_fields = ["organisation"]
    extra = 0


class StatusEventInline(ScopedInlineMixin, admin.TabularInline):
    formset = LabelledInlineFormSet
    model = StatusEvent
    fields = ["status", "effective_on", "recorded_at", "source", "quote", "note"]
    readonly_fields = ["status", "recorded_at"]
    autocomplete_fields = ["source"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Events are recorded by changing the contribution's status, not entered by hand.
        return False


class DecisionEstimateInline(ScopedInlineMixin, admin.TabularInline):
    """When a source expects the decision on a request, as fuzzily as it says it."""

    formset = LabelledInlineFormSet
    model = DecisionEstimate
    form = VersionedModelForm
    fields = ["precision", "year", "period", "day", "source", "quote", "opened_version"]
    autocomplete_fields = ["source"]
    extra = 0


class PaymentInline(ScopedInlineMixin, admin.TabularInline):
    model = Payment
    formset = PaymentFormSet
    autocomplete_fields = ["source"]
    extra = 0


def payments_guarded(contribution) -> bool:
    public, switch, _programme = parent_gate(Payment(contribution_id=contribution.pk))
    return public and switch


@admin.register(Contribution)
class ContributionAdmin(ProgrammeScopedAdmin, SourceFlagMixin, ImportMixin, SafeHistoryAdmin):
    form = ContributionAdminForm
    list_display = [
        "funder",
        "instrument",
        "programme",
        "amount_display",
        "status",
        "source_flag",
    ]
    list_filter = [
        "status",
        ("programme", ProgrammeChoiceFilter),
        ("funder", UsedRelatedFilter),
        ("instrument", IndexedValuesFilter),
        HasSourceFilter,
        "is_public",
    ]
    # Searched by `get_search_results`, which reads these through indexes.
    search_fields = ["key", "instrument", "notes", "funder__name", "funder__key", "programme__name"]
    list_select_related = ["funder", "programme"]
    # The totals count the rows (TotalsPaginator); counting everything again, or per filter
    # choice for a thousand programmes, would read the whole table on every page.
    paginator = TotalsPaginator
    # Half of Django's 100: the page renders in half the time, and staff filter or search
    # rather than scroll.
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    autocomplete_fields = ["programme", "funder"]
    inlines = [
        ContributionSourceInline,
        ContributionShareInline,
        DecisionEstimateInline,
        StatusEventInline,
        PaymentInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "programme",
                    "key",
                    "funder",
                    "instrument",
                    "instrument_en",
                    "amount",
                    "status",
                    "is_public",
                    "notes",
                    "notes_en",
                    "opened_version",
                ]
            },
        ),
        (
            gettext_lazy("Status change"),
            {
                "fields": ["status_effective_on", "status_source", "status_quote"],
                "description": gettext_lazy(
                    "When you change the status, give the day the decision took effect and the "
                    "source that records it; they are kept as a status event."
                ),
            },
        ),
    ]
    history_list_display = ["version"]
    change_list_template = "admin/funding/contribution/change_list_totals.html"
    import_template_name = "admin/funding/contribution/import.html"
    resource_classes = [ContributionResource]
    import_formats = IMPORT_FORMATS
    import_form_class = ContributionImportForm
    confirm_form_class = ContributionConfirmImportForm

    def has_source_expression(self):
        return Exists(ContributionSource.objects.filter(contribution=OuterRef("pk")))

    def has_source_column(self):
        # PostgreSQL plans an EXISTS in the select list as a hash of all citations (it expects
        # to run it for every row); a scalar subquery runs for the page's rows only.
        first = ContributionSource.objects.filter(contribution=OuterRef("pk")).values("pk")[:1]
        return IsNull(Subquery(first), False)

    def get_search_results(self, request, queryset, search_term):
        found = indexed_search(
            queryset,
            search_term,
            own=["key", "instrument", "notes"],
            related={"funder": ["name", "key"], "programme": ["name"]},
        )
        return found, False

    @admin.display(description=gettext_lazy("amount"), ordering="amount")
    def amount_display(self, contribution):
        return format_money(contribution.amount, contribution.programme.currency)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        if "cl" in context:
            context["totals"] = context["cl"].paginator.totals
        return response

    def save_formset(self, request, form, formset, change):
        if formset.model is not Payment or payments_guarded(form.instance):
            # Under the four-eyes rule each payment added, changed or removed is a proposal.
            return super().save_formset(request, form, formset, change)
        contribution = form.instance
        payments = formset.save(commit=False)
        with transaction.atomic():
            # The formset checked the sum of what was entered; saved together under the lock,
            # the payments are checked once more as they now stand in the database.
            locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
            paid_before = locked.paid_total()
            for payment in formset.deleted_objects:
                # The model's delete would reopen the contribution once per payment; here the
                # status follows the payments once, after all of them are saved.
                models.Model.delete(payment)
            for payment in payments:
                payment.save(check_limit=False)
            paid = locked.paid_total()
            if paid > locked.amount:
                raise over_commitment_error(paid=paid, amount=locked.amount)
        contribution.mark_disbursed_if_paid()
        contribution.reopen_if_payments_fall_short(paid_before=paid_before)

    # Import: a programme's contributions from CSV or XLSX, every row valid or nothing written.

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def create_import_form(self, request):
        form = super().create_import_form(request)
        form.fields["programme"].queryset = scoped_queryset(
            self.admin_site, request, Programme, form.fields["programme"].queryset
        )
        return form

    def create_confirm_form(self, request, import_form=None):
        form = super().create_confirm_form(request, import_form)
        form.fields["programme"].queryset = scoped_queryset(
            self.admin_site, request, Programme, form.fields["programme"].queryset
        )
        return form

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        cleaned = getattr(form, "cleaned_data", None) or {}
        programme = cleaned.get("programme")
        if programme is not None and not may_edit_programme(request.user, programme):
            raise PermissionDenied
        return {"programme": programme, "request": request}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["programme"] = import_form.cleaned_data["programme"].pk
        return initial

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnreadableFile):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file",
                _("The file cannot be read; save it again as CSV UTF-8 or as an Excel workbook."),
            )

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # A row that fails at the confirm step (the data changed since the preview) rolls the
        # whole import back, rather than leave the valid rows in.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except UnreadableFile:
            # The stored file changed between the preview and the confirmation.
            return self.refuse_import(request)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            return self.refuse_import(request)
        response = super().process_result(result, request)
        announce(request)
        return response

    def refuse_import(self, request):
        messages.error(
            request,
            _("The import was refused and nothing was written: the file changed or has errors."),
        )
        return HttpResponseRedirect(reverse("admin:funding_contribution_import"))
