from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from funding.permissions import is_funding_admin


class FundingAdminSite(admin.AdminSite):
    """The admin is for editing: only funding admins and superusers get in.

    Policy staff read through the dashboards and exports instead; even with `is_staff` set by
    mistake they are sent to the admin's sign-in page, so their rights come from their group.
    """

    site_header = _("Funding tracker administration")
    site_title = _("Funding tracker")
    index_title = _("Edit programmes, contributions, milestones and sources")
    # The list pages need the width for their columns, totals and filters.
    enable_nav_sidebar = False

    def has_permission(self, request):
        return super().has_permission(request) and is_funding_admin(request.user)
