"""Programmes, milestones, organisations, sources and the rest of what funding admins edit."""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import ExpressionWrapper
from django.db.models.fields import BooleanField
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from funding.admin.forms import LabelledInlineFormSet
from funding.admin.lists import ProgrammeChoiceFilter
from funding.admin.proposals import four_eyes_view
from funding.admin.scoping import ProgrammeScopedAdmin, ScopedInlineMixin, SharedRecordAdmin
from funding.admin.source_checks import CheckStateFilter, SourceCheckMixin
from funding.admin.sources import HasSourceFilter, SourceFlagMixin
from funding.admin.teams import ProgrammeMembershipInline, save_team_formset
from funding.admin.versioning import SafeHistoryAdmin, VersionedModelForm
from funding.formatting import format_money
from funding.models import (
    Contribution,
    DateEstimate,
    DecisionEstimate,
    Milestone,
    Organisation,
    PartnerRole,
    Payment,
    Programme,
    ProgrammeMembership,
    Source,
    StatusEvent,
)
from funding.permissions import may_approve


class ContributionInline(ScopedInlineMixin, admin.TabularInline):
    formset = LabelledInlineFormSet
    model = Contribution
    form = VersionedModelForm
    fields = ["key", "funder", "instrument", "amount", "status", "is_public", "opened_version"]
    # A status change needs its date and source: it is made on the contribution's own page.
    readonly_fields = ["status"]
    autocomplete_fields = ["funder"]
    show_change_link = True
    extra = 0


class PartnerRoleInline(ScopedInlineMixin, admin.TabularInline):
    formset = LabelledInlineFormSet
    model = PartnerRole
    form = VersionedModelForm
    fields = ["organisation", "role", "description", "source", "is_public", "opened_version"]
    autocomplete_fields = ["organisation", "source"]
    extra = 0


class MilestoneInline(ScopedInlineMixin, admin.TabularInline):
    formset = LabelledInlineFormSet
    model = Milestone
    form = VersionedModelForm
    fields = ["key", "title", "status", "position", "is_public", "opened_version"]
    show_change_link = True
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(ProgrammeScopedAdmin, SafeHistoryAdmin):
    # Editors change their programmes' records; adding or deleting a programme is the funding
    # admins', who then give it a team.
    programme_path = "pk"
    team_may_add = False
    team_may_delete = False
    form = VersionedModelForm
    list_display = ["name", "slug", "target_display", "currency", "is_public"]
    list_filter = ["is_public", "currency"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["target_source"]
    inlines = [ContributionInline, PartnerRoleInline, MilestoneInline, ProgrammeMembershipInline]
    readonly_fields = ["contribution_list", "four_eyes"]
    history_list_display = ["version"]

    def get_urls(self):
        switch = self.admin_site.admin_view(
            require_POST(lambda request, object_id: four_eyes_view(self, request, object_id))
        )
        return [
            path("<path:object_id>/four-eyes/", switch, name="funding_programme_four_eyes"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, object_id)
        extra_context["four_eyes_switch"] = obj is not None and may_approve(request.user, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    # A scheme with thousands of grants would make its page thousands of forms long: above
    # this many, its contributions are edited in the contributions list, linked from the page.
    INLINE_CONTRIBUTIONS = 100

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if obj is not None and self.contribution_count(obj) > self.INLINE_CONTRIBUTIONS:
            return [inline for inline in inlines if inline is not ContributionInline]
        return inlines

    def save_formset(self, request, form, formset, change):
        if formset.model is ProgrammeMembership:
            save_team_formset(request, formset)
        else:
            super().save_formset(request, form, formset, change)

    def contribution_count(self, programme) -> int:
        if not hasattr(programme, "_contribution_count"):
            programme._contribution_count = programme.contributions.count()
        return programme._contribution_count

    @admin.display(description=_("contributions"))
    def contribution_list(self, programme):
        if programme.pk is None:
            return "-"
        count = self.contribution_count(programme)
        url = reverse("admin:funding_contribution_changelist")
        query = urlencode({"programme__id__exact": programme.pk})
        label = ngettext(
            "%(count)s contribution, in the contributions list",
            "%(count)s contributions, in the contributions list",
            count,
        ) % {"count": count}
        return format_html('<a href="{}?{}">{}</a>', url, query, label)

    @admin.display(description=_("target amount"), ordering="target")
    def target_display(self, programme):
        return format_money(programme.target, programme.currency)


class DateEstimateInline(ScopedInlineMixin, admin.TabularInline):
    formset = LabelledInlineFormSet
    model = DateEstimate
    form = VersionedModelForm
    fields = ["precision", "year", "period", "day", "source", "quote", "opened_version"]
    autocomplete_fields = ["source"]
    extra = 0


@admin.register(Milestone)
class MilestoneAdmin(ProgrammeScopedAdmin, SourceFlagMixin, SafeHistoryAdmin):
    form = VersionedModelForm
    list_display = ["title", "programme", "status", "position", "is_public", "source_flag"]
    list_filter = ["status", "is_public", ("programme", ProgrammeChoiceFilter), HasSourceFilter]
    search_fields = ["title", "description", "key"]
    list_select_related = ["programme"]
    autocomplete_fields = ["programme", "source"]
    inlines = [DateEstimateInline]
    history_list_display = ["version"]

    def has_source_expression(self):
        # Its status cites a source, or a source gives a date for it.
        return ExpressionWrapper(
            Q(source__isnull=False) | Exists(DateEstimate.objects.filter(milestone=OuterRef("pk"))),
            output_field=BooleanField(),
        )


@admin.register(DateEstimate)
class DateEstimateAdmin(ProgrammeScopedAdmin, SafeHistoryAdmin):
    programme_path = "milestone__programme"
    form = VersionedModelForm
    history_list_display = ["version"]
    list_display = ["milestone", "label", "source", "earliest", "latest"]
    list_filter = ["precision", "source", ("milestone__programme", ProgrammeChoiceFilter)]
    search_fields = ["milestone__title", "quote"]
    list_select_related = ["milestone", "source"]
    autocomplete_fields = ["milestone", "source"]

    @admin.display(description=_("date"), ordering="earliest")
    def label(self, estimate):
        return estimate.fuzzy_date.label()


@admin.register(DecisionEstimate)
class DecisionEstimateAdmin(ProgrammeScopedAdmin, SafeHistoryAdmin):
    programme_path = "contribution__programme"
    form = VersionedModelForm
    history_list_display = ["version"]
    list_display = ["contribution", "label", "source", "earliest", "latest"]
    list_filter = ["precision", "source", ("contribution__programme", ProgrammeChoiceFilter)]
    search_fields = ["contribution__funder__name", "contribution__key", "quote"]
    list_select_related = ["contribution__funder", "source"]
    autocomplete_fields = ["contribution", "source"]

    @admin.display(description=_("date"), ordering="earliest")
    def label(self, estimate):
        return estimate.fuzzy_date.label()


@admin.register(Organisation)
class OrganisationAdmin(SharedRecordAdmin, SafeHistoryAdmin):
    form = VersionedModelForm
    history_list_display = ["version"]
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "key"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Source)
class SourceAdmin(SourceCheckMixin, SharedRecordAdmin, SafeHistoryAdmin):
    form = VersionedModelForm
    history_list_display = ["version"]
    list_display = [
        "title", "publisher", "published_on", "language",
        "last_checked", "outcome", "text_changed", "passages_missing",
    ]  # fmt: skip
    list_filter = ["publisher", "language", CheckStateFilter]
    readonly_fields = ["check_state"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published_on"


@admin.register(PartnerRole)
class PartnerRoleAdmin(ProgrammeScopedAdmin, SourceFlagMixin, SafeHistoryAdmin):
    form = VersionedModelForm
    history_list_display = ["version"]
    list_display = ["organisation", "role", "programme", "is_public", "source_flag"]
    list_filter = ["role", ("programme", ProgrammeChoiceFilter), "is_public", HasSourceFilter]
    search_fields = ["organisation__name", "description"]
    list_select_related = ["organisation", "programme"]
    autocomplete_fields = ["programme", "organisation", "source"]

    def has_source_expression(self):
        return ExpressionWrapper(Q(source__isnull=False), output_field=BooleanField())


@admin.register(Payment)
class PaymentAdmin(ProgrammeScopedAdmin, SafeHistoryAdmin):
    programme_path = "contribution__programme"
    form = VersionedModelForm
    history_list_display = ["version"]
    list_display = ["contribution", "paid_on", "amount", "source"]
    list_filter = [("contribution__programme", ProgrammeChoiceFilter)]
    date_hierarchy = "paid_on"
    search_fields = ["contribution__funder__name", "quote"]
    list_select_related = ["contribution__funder", "contribution__programme", "source"]
    autocomplete_fields = ["contribution", "source"]


@admin.register(StatusEvent)
class StatusEventAdmin(ProgrammeScopedAdmin, admin.ModelAdmin):
    programme_path = "contribution__programme"
    list_display = ["contribution", "status", "effective_on", "recorded_at", "source"]
    list_filter = ["status", ("contribution__programme", ProgrammeChoiceFilter)]
    search_fields = ["contribution__funder__name", "note", "quote"]
    list_select_related = ["contribution__funder", "contribution__programme", "source"]
    autocomplete_fields = ["source"]
    readonly_fields = ["contribution", "status", "recorded_at"]

    def has_add_permission(self, request):
        return False
