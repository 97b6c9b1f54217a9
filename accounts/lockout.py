"""The answer to a locked user name and address: a page in the visitor's language, status 429.

It says the same for a user name that exists and one that does not, so the page cannot be used
to find out which accounts there are.
"""

from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "accounts/locked_out.html", {"lockout_minutes": minutes}, status=429)
