"""The governance audit in the admin: funding admins read it and export it; nobody changes it."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from funding.admin.lists import ProgrammeChoiceFilter
from funding.models import AuditEvent
from funding.permissions import may_read_audit
from funding.spreadsheets import EXPORT_FORMATS, csv_chunks, dated_filename


def audit_rows(events):
    """The header, then one row per event, for the CSV file."""
    yield [
        _("when"),
        _("what"),
        _("who"),
        _("programme"),
        _("record"),
        _("before"),
        _("after"),
        _("why"),
    ]
    for event in events.iterator(chunk_size=1000):
        yield [
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            event.get_kind_display(),
            event.actor_name,
            event.programme_name,
            event.subject,
            _as_text(event.before),
            _as_text(event.after),
            event.reason,
        ]


def _as_text(values: dict) -> str:
    return "; ".join(f"{name}: {value}" for name, value in sorted(values.items()))


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "actor_name", "programme_name", "subject", "reason"]
    list_filter = ["kind", ("programme", ProgrammeChoiceFilter)]
    search_fields = ["subject", "actor_name", "programme_name", "reason"]
    date_hierarchy = "at"
    change_list_template = "admin/funding/auditevent/change_list.html"

    def has_module_permission(self, request):
        return may_read_audit(request.user)

    def has_view_permission(self, request, obj=None):
        return may_read_audit(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        export = path(
            "export.csv",
            self.admin_site.admin_view(self.export_view),
            name="funding_auditevent_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The list as filtered and searched on its page, every row, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(_("The list's filters cannot be read."))
        response = StreamingHttpResponse(
            csv_chunks(audit_rows(changelist.queryset), bom=True),
            content_type=EXPORT_FORMATS["csv"],
        )
        filename = dated_filename("governance-audit")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
