from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from funding.formatting import format_money
from funding.models import (
    Contribution,
    ContributionShare,
    ContributionSource,
    DateEstimate,
    Milestone,
    Organisation,
    PartnerRole,
    Payment,
    Programme,
    Source,
    StatusEvent,
)

admin.site.site_header = _("Funding tracker administration")
admin.site.site_title = _("Funding tracker")


class ContributionInline(admin.TabularInline):
    model = Contribution
    fields = ["key", "funder", "instrument", "amount", "status", "is_public"]
    autocomplete_fields = ["funder"]
    show_change_link = True
    extra = 0


class PartnerRoleInline(admin.TabularInline):
    model = PartnerRole
    fields = ["organisation", "role", "description", "source", "is_public"]
    autocomplete_fields = ["organisation", "source"]
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ["key", "title", "status", "position", "is_public"]
    show_change_link = True
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "target_display", "currency", "is_public"]
    list_filter = ["is_public", "currency"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["target_source"]
    inlines = [ContributionInline, PartnerRoleInline, MilestoneInline]

    @admin.display(description=_("target amount"), ordering="target")
    def target_display(self, programme):
        return format_money(programme.target, programme.currency)


class ContributionSourceInline(admin.TabularInline):
    model = ContributionSource
    autocomplete_fields = ["source"]
    extra = 0


class ContributionShareInline(admin.TabularInline):
    model = ContributionShare
    autocomplete_fields = ["organisation"]
    extra = 0


class StatusEventInline(admin.TabularInline):
    model = StatusEvent
    fields = ["status", "effective_on", "recorded_at", "source", "quote", "note"]
    readonly_fields = ["status", "recorded_at"]
    autocomplete_fields = ["source"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Events are recorded by changing the contribution's status, not entered by hand.
        return False


class PaymentInline(admin.TabularInline):
    model = Payment
    autocomplete_fields = ["source"]
    extra = 0


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    list_display = ["funder", "instrument", "programme", "amount_display", "status", "is_public"]
    list_filter = ["status", "is_public", "programme", "funder"]
    search_fields = ["key", "instrument", "notes", "funder__name", "programme__name"]
    list_select_related = ["funder", "programme"]
    autocomplete_fields = ["programme", "funder"]
    inlines = [ContributionSourceInline, ContributionShareInline, StatusEventInline, PaymentInline]

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, contribution):
        return format_money(contribution.amount, contribution.programme.currency)


class DateEstimateInline(admin.TabularInline):
    model = DateEstimate
    fields = ["precision", "year", "period", "day", "source", "quote"]
    autocomplete_fields = ["source"]
    extra = 0


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "programme", "status", "position", "is_public"]
    list_filter = ["status", "is_public", "programme"]
    search_fields = ["title", "description", "key"]
    list_select_related = ["programme"]
    autocomplete_fields = ["programme", "source"]
    inlines = [DateEstimateInline]


@admin.register(DateEstimate)
class DateEstimateAdmin(SimpleHistoryAdmin):
    list_display = ["milestone", "label", "source", "earliest", "latest"]
    list_filter = ["precision", "source", "milestone__programme"]
    search_fields = ["milestone__title", "quote"]
    list_select_related = ["milestone", "source"]
    autocomplete_fields = ["milestone", "source"]

    @admin.display(description=_("date"), ordering="earliest")
    def label(self, estimate):
        return estimate.fuzzy_date.label()


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "key"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "language"]
    list_filter = ["publisher", "language"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published_on"


@admin.register(PartnerRole)
class PartnerRoleAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "role", "programme", "is_public"]
    list_filter = ["role", "programme", "is_public"]
    search_fields = ["organisation__name", "description"]
    list_select_related = ["organisation", "programme"]
    autocomplete_fields = ["programme", "organisation", "source"]


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ["contribution", "paid_on", "amount", "source"]
    list_filter = ["contribution__programme"]
    date_hierarchy = "paid_on"
    search_fields = ["contribution__funder__name", "quote"]
    list_select_related = ["contribution__funder", "contribution__programme", "source"]
    autocomplete_fields = ["contribution", "source"]


@admin.register(StatusEvent)
class StatusEventAdmin(admin.ModelAdmin):
    list_display = ["contribution", "status", "effective_on", "recorded_at", "source"]
    list_filter = ["status", "contribution__programme"]
    search_fields = ["contribution__funder__name", "note", "quote"]
    list_select_related = ["contribution__funder", "contribution__programme", "source"]
    autocomplete_fields = ["source"]
    readonly_fields = ["contribution", "status", "recorded_at"]

    def has_add_permission(self, request):
        return False
