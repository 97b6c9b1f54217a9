from django.contrib import admin
from django.contrib.admin.options import TO_FIELD_VAR, IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from accounts.forms import AdminSignInForm
from accounts.two_factor import needs_second_factor, second_factor_given, second_factor_url
from funding.permissions import editable_programme_ids, may_enter_admin


class ReadableChangeList(ChangeList):
    """Django's list, answering filter values it cannot read with its "invalid lookup" page."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            # The date hierarchy makes a datetime of `?at__year=&at__month=`: Django turns the
            # ValueError of year 0 into this page, but not the OverflowError of a year too big
            # for C, nor the ValueError of year 9999's successor.
            raise IncorrectLookupParameters(error) from error


class ReadableListMixin:
    """Gives a ModelAdmin the list above; the site adds it to every admin it registers."""

    def get_changelist(self, request, **kwargs):
        return ReadableChangeList


def refused_parameters(request) -> str | None:
    """Why the admin refuses the request's parameters before any view reads them, if it does."""
    # Django's change and delete views look up `?_to_field=` (empty) as a field name and fail
    # with a 500; any other unknown field they already refuse with a 400.
    if request.GET.get(TO_FIELD_VAR) == "" or request.POST.get(TO_FIELD_VAR) == "":
        return _("The field to look up by is empty.")
    # PostgreSQL stores no NUL in text, and a filter, search or date that holds one fails in
    # the database (DataError); no admin address has a use for it.
    if any("\x00" in name or "\x00" in "".join(values) for name, values in request.GET.lists()):
        return _("The address holds a NUL character.")
    return None


class FundingAdminSite(admin.AdminSite):
    """The admin is for editing: funding admins, superusers, and the editors and approvers of a
    programme (`may_enter_admin`), who see only their programmes (funding/admin/scoping.py).

    Policy staff and programme viewers read through the dashboards and exports instead; even
    with `is_staff` set by mistake they are sent to the admin's sign-in page, so their rights
    come from their group and team.
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
        if not (super().has_permission(request) and may_enter_admin(request.user)):
            return False
        return not needs_second_factor(request.user) or second_factor_given(request)

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every admin's list, Django's and other apps' (users, django-axes) included, so that a
        # new one cannot forget it.
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, ReadableListMixin):
            admin_class = type(
                admin_class.__name__,
                (ReadableListMixin, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)

        def refuse_unreadable_parameters(request, *args, **kwargs):
            refusal = refused_parameters(request)
            if refusal is not None:
                return HttpResponseBadRequest(refusal)
            return checked(request, *args, **kwargs)

        return refuse_unreadable_parameters

    def get_urls(self):
        urls = super().get_urls()
        for number, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                # Django's shortcut redirects to any record's page, naming its programme's
                # slug: a team member reaches only the records of their programmes.
                urls[number] = type(pattern)(
                    pattern.pattern, self._scoped_shortcut(pattern.callback), name=pattern.name
                )
        return urls

    def _scoped_shortcut(self, shortcut):
        def view_on_site(request, content_type_id, object_id):
            # Those the admin lets in; the others go on to its sign-in page as before.
            if self.has_permission(request) and editable_programme_ids(request.user) is not None:
                self._require_editable(request, content_type_id, object_id)
            return shortcut(request, content_type_id, object_id)

        return view_on_site

    def _require_editable(self, request, content_type_id, object_id) -> None:
        try:
            model = ContentType.objects.get(pk=content_type_id).model_class()
            model_admin = self._registry.get(model)
            found = model_admin is not None and (
                model_admin.get_queryset(request).filter(pk=object_id).exists()
            )
        except (ContentType.DoesNotExist, ValueError, ValidationError):
            found = False
        if not found:
            raise Http404

    def login(self, request, extra_context=None):
        user = request.user
        if needs_second_factor(user) and not second_factor_given(request):
            next_url = request.GET.get("next") or request.POST.get("next") or "/admin/"
            return redirect(second_factor_url(request, next_url))
        return super().login(request, extra_context)
