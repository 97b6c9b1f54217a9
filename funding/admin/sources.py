"""Flagging records that the public sees without a source."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class HasSourceFilter(admin.SimpleListFilter):
    title = _("source")
    parameter_name = "has_source"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("has a source")),
            ("no", _("has no source")),
            ("public_no", _("public, without a source")),
        ]

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        # Filtered by the condition itself (an anti-join for "no source"), not by the column
        # shown in the list, which may be written for showing one page of rows.
        self.sourced = Q(model_admin.has_source_expression())

    def queryset(self, request, queryset):
        value = self.value()
        if value == "yes":
            return queryset.filter(self.sourced)
        if value == "no":
            return queryset.filter(~self.sourced)
        if value == "public_no":
            return queryset.filter(~self.sourced, is_public=True)
        return queryset


class SourceFlagMixin:
    """Shows `has_source` (from `has_source_column`); filters use `has_source_expression`."""

    def has_source_expression(self):
        raise NotImplementedError

    def has_source_column(self):
        """The `has_source` shown per row; by default the same expression."""
        return self.has_source_expression()

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(has_source=self.has_source_column())

    @admin.display(description=_("has source"), boolean=True, ordering="has_source")
    def source_flag(self, obj):
        """Yes when sourced; no (flagged) when public without one; unknown when not public."""
        if obj.has_source:
            return True
        return False if obj.is_public else None
