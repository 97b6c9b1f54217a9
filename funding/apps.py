from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from funding import signals, staff_sync

        signals.connect()
        staff_sync.connect()


class FundingAdminConfig(admin_apps.AdminConfig):
    """The Django admin, with a site that only funding admins (and superusers) may enter."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "funding.admin_site.FundingAdminSite"
