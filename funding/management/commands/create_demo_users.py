import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from funding.models import Programme, TeamRole
from funding.permissions import FUNDING_ADMINS, POLICY_STAFF
from funding.teams import give_role

PASSWORD_HINT = ".venv/bin/python manage.py changepassword"
DEMO_ACCOUNTS = [
    ("staff", POLICY_STAFF, False),
    ("controller", FUNDING_ADMINS, True),
]
# A team on the shipped programme, to try the roles: in no group, rights from the team only.
DEMO_PROGRAMME = "ai-fabriek-groningen"
DEMO_TEAM = [("editor", TeamRole.EDITOR), ("approver", TeamRole.APPROVER)]


class Command(BaseCommand):
    help = (
        "Development only: create one demo account in each group, and an editor and an approver "
        "of the shipped programme, if absent, with a generated password that is printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--site-url", default="http://127.0.0.1:8000/")

    def handle(self, *args, site_url: str, **options):
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo accounts are created.")
            return
        self.stdout.write(f"\nThe site: {site_url}")
        self.stdout.write(f"Sign in at {site_url}accounts/login/ with a demo account:")
        created = False
        for username, group_name, is_staff in DEMO_ACCOUNTS:
            user = self._account(username, group_name, is_staff=is_staff)
            if user is not None:
                user.groups.add(Group.objects.get(name=group_name))
                created = True
        programme = Programme.objects.filter(slug=DEMO_PROGRAMME).first()
        for username, role in DEMO_TEAM if programme is not None else []:
            user = self._account(username, f"{role} of {DEMO_PROGRAMME}", is_staff=False)
            if user is not None:
                give_role(user=user, programme=programme, role=role, via="create_demo_users")
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

    def _account(self, username: str, label: str, *, is_staff: bool):
        """Creates the account and prints its password; None (and a hint) if it exists."""
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"  {username:<11} ({label}): password as printed when it was created; "
                f"to set a new one: {PASSWORD_HINT} {username}"
            )
            return None
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password, is_staff=is_staff)
        self.stdout.write(f"  {username:<11} ({label}): password {password}")
        return user
