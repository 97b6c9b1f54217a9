from django.contrib import admin
from django.contrib.admin.options import TO_FIELD_VAR
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from accounts.forms import AdminSignInForm
from accounts.two_factor import needs_second_factor, second_factor_given, second_factor_url
from funding.permissions import is_funding_admin


class FundingAdminSite(admin.AdminSite):
    """The admin is for editing: only funding admins and superusers get in.

    Policy staff read through the dashboards and exports instead; even with `is_staff` set by
    mistake they are sent to the admin's sign-in page, so their rights come from their group.
    Where a second factor is required (`needs_second_factor`), a funding admin who has not given
    one in this session reaches no admin page: the sign-in page sends them to enter a code, or to
    set up an authenticator app first.
    """

    site_header = _("Funding tracker administration")
    site_title = _("Funding tracker")
    index_title = _("Edit programmes, contributions, milestones and sources")
    # The list pages need the width for their columns, totals and filters.
    enable_nav_sidebar = False
    login_form = AdminSignInForm

    def has_permission(self, request):
        if not (super().has_permission(request) and is_funding_admin(request.user)):
            return False
        return not needs_second_factor(request.user) or second_factor_given(request)

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)

        def refuse_empty_to_field(request, *args, **kwargs):
            # Django's change and delete views look up `?_to_field=` (empty) as a field name
            # and fail with a 500; any other unknown field they already refuse with a 400.
            if request.GET.get(TO_FIELD_VAR) == "" or request.POST.get(TO_FIELD_VAR) == "":
                return HttpResponseBadRequest(_("The field to look up by is empty."))
            return checked(request, *args, **kwargs)

        return refuse_empty_to_field

    def login(self, request, extra_context=None):
        user = request.user
        if needs_second_factor(user) and not second_factor_given(request):
            next_url = request.GET.get("next") or request.POST.get("next") or "/admin/"
            return redirect(second_factor_url(request, next_url))
        return super().login(request, extra_context)
