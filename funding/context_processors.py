"""Template context that the site's navigation needs on every page."""

from django.utils.functional import SimpleLazyObject

from funding.permissions import may_view_dashboards


def dashboard_access(request):
    """`may_view_dashboards`: asked only when a template uses it, and at most once a request."""
    user = getattr(request, "user", None)
    return {
        "may_view_dashboards": SimpleLazyObject(
            lambda: user is not None and may_view_dashboards(user)
        )
    }
