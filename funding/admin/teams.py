"""Programme teams in the admin: funding admins give, change and take roles, each audited.

The team is edited on its programme's page (an inline) or in its own list; both record every
change through funding/teams.py. Only funding admins (`may_manage_teams`) see either.
"""

from django.contrib import admin

from funding.admin.forms import LabelledInlineFormSet
from funding.admin.lists import ProgrammeChoiceFilter
from funding.models import ProgrammeMembership
from funding.permissions import may_manage_teams
from funding.teams import record_change, record_removal


class TeamManagersOnly:
    """Every permission is `may_manage_teams`: Django's model permissions give none."""

    def has_module_permission(self, request):
        return may_manage_teams(request.user)

    def has_view_permission(self, request, obj=None):
        return may_manage_teams(request.user)

    def has_change_permission(self, request, obj=None):
        return may_manage_teams(request.user)

    def has_delete_permission(self, request, obj=None):
        return may_manage_teams(request.user)


class ProgrammeMembershipInline(TeamManagersOnly, admin.TabularInline):
    formset = LabelledInlineFormSet
    model = ProgrammeMembership
    fields = ["user", "role", "granted_at"]
    readonly_fields = ["granted_at"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return may_manage_teams(request.user)


def save_team_formset(request, formset) -> None:
    """Saves a programme's team as edited on its page, recording each change."""
    before = dict(
        ProgrammeMembership.objects.filter(
            pk__in=[form.instance.pk for form in formset.initial_forms]
        ).values_list("pk", "user_id")
    )
    roles = dict(ProgrammeMembership.objects.filter(pk__in=list(before)).values_list("pk", "role"))
    saved = formset.save(commit=False)
    for membership in formset.deleted_objects:
        # What was stored, not what the form made of it before its delete box was ticked.
        stored = ProgrammeMembership.objects.select_related("user", "programme").get(
            pk=membership.pk
        )
        membership.delete()
        record_removal(membership=stored, actor=request.user)
    for membership in saved:
        old_user = before.get(membership.pk)
        if old_user is not None and old_user != membership.user_id:
            # Another person in the row: the first leaves the team, the second joins it.
            stored = ProgrammeMembership.objects.select_related("user", "programme").get(
                pk=membership.pk
            )
            record_removal(membership=stored, actor=request.user)
            roles.pop(membership.pk)
        membership.save()
        record_change(membership=membership, before=roles.get(membership.pk), actor=request.user)
    formset.save_m2m()


@admin.register(ProgrammeMembership)
class ProgrammeMembershipAdmin(TeamManagersOnly, admin.ModelAdmin):
    list_display = ["user", "programme", "role", "granted_at"]
    list_filter = ["role", ("programme", ProgrammeChoiceFilter)]
    search_fields = ["user__username", "user__email", "programme__name"]
    list_select_related = ["user", "programme"]
    autocomplete_fields = ["programme"]

    def has_add_permission(self, request):
        return may_manage_teams(request.user)

    def get_readonly_fields(self, request, obj=None):
        # A role is changed in place; another person or programme is another membership.
        return ["user", "programme", "granted_at"] if obj is not None else ["granted_at"]

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            before = (
                ProgrammeMembership.objects.filter(pk=obj.pk).values_list("role", flat=True).first()
            )
        super().save_model(request, obj, form, change)
        record_change(membership=obj, before=before, actor=request.user)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        record_removal(membership=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        leaving = list(queryset.select_related("user", "programme"))
        super().delete_queryset(request, queryset)
        for membership in leaving:
            record_removal(membership=membership, actor=request.user)
