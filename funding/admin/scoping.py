"""The admin shows and edits only the programmes a person may edit (funding/permissions.py).

Funding admins and superusers see everything, with Django's model permissions as before. An
editor or approver of some programmes has no model permissions: every admin of a programme's
records asks `funding/permissions.py` instead, and limits its lists, forms, choices, inlines,
actions, history and import to those programmes. A record of another programme answers 404,
as an unknown one does, so its name and figures never show.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from funding.permissions import (
    editable_programme_ids,
    is_funding_admin,
    may_add_shared_records,
    may_change_shared_records,
    may_edit_programme,
    may_enter_admin,
)


def _programme_id_of(obj, path: str) -> int | None:
    """The programme id of `obj`, following `path` ("programme", "contribution__programme")."""
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def scoped_queryset(admin_site, request, model, queryset):
    """`queryset` (of `model`) limited as the model's admin limits its list, if it does."""
    model_admin = admin_site._registry.get(model)
    if isinstance(model_admin, ProgrammeScopedAdmin):
        return model_admin.scope(request, queryset)
    return queryset


class ScopedChoicesMixin:
    """Foreign-key choices (drop-downs and autocomplete fields alike) limited to what the
    person may edit: a contribution's programme, a payment's contribution."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            formfield.queryset = scoped_queryset(
                self.admin_site, request, db_field.related_model, formfield.queryset
            )
        return formfield


class ProgrammeScopedAdmin(ScopedChoicesMixin):
    """For the admin of a model whose records belong to one programme.

    `programme_path` leads from a record to its programme ("pk" for the programme itself).
    `team_may_add` and `team_may_delete` say whether editors add or delete such records.
    """

    programme_path = "programme"
    team_may_add = True
    team_may_delete = True

    def scope(self, request, queryset):
        ids = editable_programme_ids(request.user)
        if ids is None:
            return queryset
        return queryset.filter(**{f"{self.programme_path}__in": ids})

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def programme_of(self, obj) -> int | None:
        return _programme_id_of(obj, self.programme_path)

    def _may(self, request, obj, action: str) -> bool:
        user = request.user
        if is_funding_admin(user):
            return getattr(super(), f"has_{action}_permission")(request, obj)
        if not may_enter_admin(user):
            return False
        return obj is None or may_edit_programme(user, self.programme_of(obj) or 0)

    def has_module_permission(self, request):
        if is_funding_admin(request.user):
            return super().has_module_permission(request)
        return may_enter_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return self._may(request, obj, "view")

    def has_change_permission(self, request, obj=None):
        return self._may(request, obj, "change")

    def has_delete_permission(self, request, obj=None):
        if not (self.team_may_delete or is_funding_admin(request.user)):
            return False
        return self._may(request, obj, "delete")

    def has_add_permission(self, request):
        if is_funding_admin(request.user):
            return super().has_add_permission(request)
        return self.team_may_add and may_enter_admin(request.user)

    def save_model(self, request, obj, form, change):
        # The forms offer only the person's programmes; a save is checked once more, so that
        # no form (a revert, an inline's parent) can move a record into another programme.
        if not may_edit_programme(request.user, self.programme_of(obj) or 0):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django sends an unknown id to the admin's index with a message; a team member gets
        # 404 for an unknown record and another programme's alike, so neither says it exists.
        if editable_programme_ids(request.user) is not None:
            raise Http404
        return super()._get_obj_does_not_exist_redirect(request, opts, object_id)

    def require_in_scope(self, request, object_id) -> None:
        """History and revert of a record the person may not edit: 404, as an unknown one."""
        if editable_programme_ids(request.user) is None:
            return
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404


class ScopedInlineMixin(ScopedChoicesMixin):
    """An inline on a programme's record: editable when the record's programme is."""

    def _may(self, request, obj, action: str) -> bool:
        user = request.user
        if is_funding_admin(user):
            return getattr(super(), f"has_{action}_permission")(request, obj)
        if not may_enter_admin(user):
            return False
        if obj is None:
            return True
        parent = self.admin_site._registry[self.parent_model]
        return may_edit_programme(user, parent.programme_of(obj) or 0)

    def has_view_permission(self, request, obj=None):
        return self._may(request, obj, "view")

    def has_change_permission(self, request, obj=None):
        return self._may(request, obj, "change")

    def has_add_permission(self, request, obj=None):
        return self._may(request, obj, "add")

    def has_delete_permission(self, request, obj=None):
        return self._may(request, obj, "delete")


class SharedRecordAdmin:
    """Organisations and sources serve every programme: editors of any programme see them and
    may add one; only funding admins change or delete them (docs/decisions.md)."""

    def _team_member(self, request) -> bool:
        return not is_funding_admin(request.user)

    def has_module_permission(self, request):
        if self._team_member(request):
            return may_enter_admin(request.user)
        return super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        if self._team_member(request):
            return may_enter_admin(request.user)
        return super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        if self._team_member(request):
            return may_add_shared_records(request.user)
        return super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        if self._team_member(request):
            return may_change_shared_records(request.user)
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._team_member(request):
            return may_change_shared_records(request.user)
        return super().has_delete_permission(request, obj)
