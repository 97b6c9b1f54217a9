from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit import record
from accounts.models import SignInEvent
from aifabriek.ops.client_address import lockout_address_label


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    """The audit is evidence: it can be read, never written or removed through the admin."""

    list_display = ["at", "kind", "username", "address", "detail"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "address", "detail"]
    date_hierarchy = "at"
    # The account as text: a link would lead funding admins to the user admin, which they
    # may not open.
    exclude = ["user"]
    readonly_fields = ["account"]

    @admin.display(description=_("user"))
    def account(self, event):
        return event.user.get_username() if event.user else "-"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAccessAttemptAdmin(AccessAttemptAdmin):
    """django-axes' list of failed sign-ins; deleting an entry lifts its lockout, on the record."""

    def delete_model(self, request, obj):
        self._record_lifted(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._record_lifted(request, list(queryset))
        super().delete_queryset(request, queryset)

    @staticmethod
    def _record_lifted(request, attempts):
        for attempt in attempts:
            record(
                SignInEvent.Kind.LOCKOUT_LIFTED,
                request=request,
                username=attempt.username or "",
                detail=(
                    f"lifted by {request.user.get_username()} for address "
                    f"{lockout_address_label(attempt.ip_address)} after "
                    f"{attempt.failures_since_start} failures"
                ),
            )


admin.site.unregister(AccessAttempt)
# django-otp's device pages show each device's secret key and answer 500 for an id that does not
# exist; a lost device is removed with `manage.py two_factor_disable` (docs/sign-in.md).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)
admin.site.register(AccessAttempt, AuditedAccessAttemptAdmin)
