import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from funding.permissions import FUNDING_ADMINS, POLICY_STAFF

PASSWORD_HINT = ".venv/bin/python manage.py changepassword"
DEMO_ACCOUNTS = [
    ("staff", POLICY_STAFF, False),
    ("controller", FUNDING_ADMINS, True),
]


class Command(BaseCommand):
    help = (
        "Development only: create one demo account in each group, if absent, with a generated "
        "password that is printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--site-url", default="http://127.0.0.1:8000/")

    def handle(self, *args, site_url: str, **options):
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo accounts are created.")
            return
        self.stdout.write(f"\nThe site: {site_url}")
        self.stdout.write(f"Sign in at {site_url}accounts/login/ with a demo account:")
        User = get_user_model()
        created = False
        for username, group_name, is_staff in DEMO_ACCOUNTS:
            if User.objects.filter(username=username).exists():
                self.stdout.write(
                    f"  {username:<11} ({group_name}): password as printed when it was created; "
                    f"to set a new one: {PASSWORD_HINT} {username}"
                )
                continue
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(username=username, password=password, is_staff=is_staff)
            user.groups.add(Group.objects.get(name=group_name))
            self.stdout.write(f"  {username:<11} ({group_name}): password {password}")
            created = True
        if created:
            self.stdout.write("These passwords are shown only once; note them now.")
        if settings.ADMIN_REQUIRE_2FA:
            self.stdout.write(
                "The admin asks funding admins for a code from an authenticator app "
                "(two-factor); the first visit sets it up."
            )
        else:
            self.stdout.write(
                "Two-factor sign-in for the admin is off in development; to try it: "
                "ADMIN_REQUIRE_2FA=true make run"
            )
        self.stdout.write("")
