from django.contrib import admin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from accounts.two_factor import admin_needs_second_factor, second_factor_given, second_factor_url
from funding.permissions import is_funding_admin


class FundingAdminSite(admin.AdminSite):
    """The admin is for editing: only funding admins and superusers get in.

    Policy staff read through the dashboards and exports instead; even with `is_staff` set by
    mistake they are sent to the admin's sign-in page, so their rights come from their group.
    Where a second factor is required (ADMIN_REQUIRE_2FA), a funding admin who has not given one
    in this session reaches no admin page: the sign-in page sends them to enter a code, or to set
    up an authenticator app first.
    """

    site_header = _("Funding tracker administration")
    site_title = _("Funding tracker")
    index_title = _("Edit programmes, contributions, milestones and sources")
    # The list pages need the width for their columns, totals and filters.
    enable_nav_sidebar = False

    def has_permission(self, request):
        if not (super().has_permission(request) and is_funding_admin(request.user)):
            return False
        return not admin_needs_second_factor(request.user) or second_factor_given(request)

    def login(self, request, extra_context=None):
        user = request.user
        if admin_needs_second_factor(user) and not second_factor_given(request):
            next_url = request.GET.get("next") or request.POST.get("next") or "/admin/"
            return redirect(second_factor_url(request, next_url))
        return super().login(request, extra_context)
