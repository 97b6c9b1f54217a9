"""Flagging records that the public sees without a source."""

from django.contrib import admin
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

    def queryset(self, request, queryset):
        value = self.value()
        if value == "yes":
            return queryset.filter(has_source=True)
        if value == "no":
            return queryset.filter(has_source=False)
        if value == "public_no":
            return queryset.filter(has_source=False, is_public=True)
        return queryset


class SourceFlagMixin:
    """Annotates `has_source` (an expression given by `has_source_expression`) and shows it."""

    def has_source_expression(self):
        raise NotImplementedError

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(has_source=self.has_source_expression())

    @admin.display(description=_("has source"), boolean=True, ordering="has_source")
    def source_flag(self, obj):
        """Yes when sourced; no (flagged) when public without one; unknown when not public."""
        if obj.has_source:
            return True
        return False if obj.is_public else None
