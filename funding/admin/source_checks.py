"""What the source check found, in the admin: each source's latest check on its list and its page,
and the snapshots with their quote checks, read-only, for funding admins.

Nothing here is edited: the check (`manage.py check_sources`) writes it.
"""

from django.contrib import admin
from django.db.models import Count, Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from funding.models import QuoteCheck, QuoteState, SnapshotOutcome, SourceSnapshot
from funding.permissions import is_funding_admin

LATEST = SourceSnapshot.objects.filter(source=OuterRef("pk"), is_latest=True)
MISSING = (
    QuoteCheck.objects.filter(
        snapshot__source=OuterRef("pk"),
        snapshot__is_latest=True,
        state=QuoteState.NOT_FOUND,
    )
    .order_by()
    .values("snapshot__source")
    .annotate(count=Count("pk"))
    .values("count")
)


class CheckStateFilter(admin.SimpleListFilter):
    title = _("latest check")
    parameter_name = "check"

    def lookups(self, request, model_admin):
        return [
            ("failed", _("source could not be archived")),
            ("changed", _("text changed since first archived")),
            ("missing", _("a quoted passage was not found")),
            ("never", _("never checked")),
        ]

    def queryset(self, request, queryset):
        latest = SourceSnapshot.objects.filter(source=OuterRef("pk"), is_latest=True)
        conditions = {
            "failed": Exists(latest.exclude(outcome=SnapshotOutcome.OK)),
            "changed": Exists(latest.filter(changed=True)),
            "missing": Exists(
                QuoteCheck.objects.filter(
                    snapshot__source=OuterRef("pk"),
                    snapshot__is_latest=True,
                    state=QuoteState.NOT_FOUND,
                )
            ),
            "never": ~Exists(latest),
        }
        condition = conditions.get(self.value())
        return queryset if condition is None else queryset.filter(condition)


class SourceCheckMixin:
    """For SourceAdmin: the latest check's day, outcome and findings on the list and the page."""

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                checked_at=Subquery(LATEST.values("fetched_at")[:1]),
                check_outcome=Subquery(LATEST.values("outcome")[:1]),
                check_changed=Subquery(LATEST.values("changed")[:1]),
                missing_quotes=Subquery(MISSING[:1]),
            )
        )

    @admin.display(description=_("last checked"), ordering="checked_at")
    def last_checked(self, source):
        if source.checked_at is None:
            return _("never")
        return date_format(localtime(source.checked_at), "DATETIME_FORMAT")

    @admin.display(description=_("outcome"), ordering="check_outcome")
    def outcome(self, source):
        if source.check_outcome is None:
            return "–"
        return SnapshotOutcome(source.check_outcome).label

    @admin.display(description=_("text changed"), boolean=True)
    def text_changed(self, source):
        return source.check_changed

    @admin.display(description=_("passages not found"), ordering="missing_quotes")
    def passages_missing(self, source):
        return source.missing_quotes or 0

    @admin.display(description=_("latest check"))
    def check_state(self, source):
        """The latest snapshot and the state of every passage checked against it."""
        if source.pk is None:
            return "–"
        snapshot = (
            SourceSnapshot.objects.filter(source=source, is_latest=True).defer("text").first()
        )
        if snapshot is None:
            return _("Not checked yet: run manage.py check_sources.")
        checks = snapshot.quote_checks.order_by("kind", "record_id")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (check.get_kind_display(), check.record_id, check.quote, check.get_state_display())
                for check in checks
            ),
        )
        snapshots_url = (
            reverse("admin:funding_sourcesnapshot_changelist")
            + "?"
            + urlencode({"source__id__exact": source.pk})
        )
        changed = (
            _("yes: the text differs from the first one archived") if snapshot.changed else _("no")
        )
        detail = format_html(" ({})", snapshot.detail) if snapshot.detail else ""
        return format_html(
            '<p>{}: {} — {}{}</p><p>{}: {}</p><p><a href="{}">{}</a></p>'
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            date_format(localtime(snapshot.fetched_at), "DATETIME_FORMAT"),
            snapshot.final_url or snapshot.url,
            snapshot.get_outcome_display(),
            detail,
            _("Changed since first archived"),
            changed,
            snapshots_url,
            _("Every snapshot of this source"),
            _("quoted by"),
            _("record"),
            _("quoted passage"),
            _("state"),
            rows or format_html("<tr><td colspan='4'>{}</td></tr>", _("No quoted passages.")),
        )


class ReadOnlyForFundingAdmins:
    """Funding admins may look; nobody adds, changes or deletes (the check writes these)."""

    def has_view_permission(self, request, obj=None):
        return is_funding_admin(request.user)

    def has_module_permission(self, request):
        return is_funding_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class QuoteCheckInline(ReadOnlyForFundingAdmins, admin.TabularInline):
    model = QuoteCheck
    fields = ["kind", "record_id", "programme", "quote", "state", "checked_at"]
    readonly_fields = fields
    extra = 0


@admin.register(SourceSnapshot)
class SourceSnapshotAdmin(ReadOnlyForFundingAdmins, admin.ModelAdmin):
    list_display = ["source", "fetched_at", "outcome", "http_status", "changed", "is_latest"]
    list_filter = ["outcome", "changed", "is_latest", "origin"]
    list_select_related = ["source"]
    search_fields = ["source__title", "source__key", "url", "final_url"]
    date_hierarchy = "fetched_at"
    fields = [
        "source", "fetched_at", "origin", "url", "final_url", "redirects", "http_status",
        "content_type", "outcome", "detail", "sha256", "changed", "is_latest", "archived",
    ]  # fmt: skip
    readonly_fields = fields
    inlines = [QuoteCheckInline]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("text")

    @admin.display(description=_("text"))
    def archived(self, snapshot):
        return format_html('<pre class="archived-text">{}</pre>', snapshot.archived_text)
