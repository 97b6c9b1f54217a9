"""`manage.py programme_access USER SLUG ROLE [--remove]`: one person's role on one programme."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from funding.models import Programme, TeamRole
from funding.teams import give_role, take_role

# Recorded as why, in the audit: no person made the change through the site.
VIA = "manage.py programme_access"


class Command(BaseCommand):
    help = (
        "Give a user a role on a programme's team (viewer, editor or approver), or take it away "
        "with --remove. Every change is recorded in the governance audit."
    )

    def add_arguments(self, parser):
        parser.add_argument("user", help="the user's username")
        parser.add_argument("slug", help="the programme's slug, as in its address")
        parser.add_argument("role", help="viewer, editor or approver")
        parser.add_argument(
            "--remove", action="store_true", help="take the role away instead of giving it"
        )

    def handle(self, *args, user: str, slug: str, role: str, remove: bool, **options):
        # Every value is checked before anything changes, so a mistake changes nothing.
        if role not in TeamRole.values:
            raise CommandError(f"Unknown role {role!r}: give one of {', '.join(TeamRole.values)}.")
        User = get_user_model()
        person = User.objects.filter(**{User.USERNAME_FIELD: user}).first()
        if person is None:
            raise CommandError(f"Unknown user {user!r}: no user has that username.")
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            raise CommandError(f"Unknown programme {slug!r}: no programme has that slug.")
        if remove:
            self._remove(person, programme, role)
        else:
            before = give_role(user=person, programme=programme, role=role, via=VIA)
            if before == role:
                self.stdout.write(f"{user} is already {role} of {slug}; nothing changed.")
            elif before is None:
                self.stdout.write(f"{user} is now {role} of {slug}.")
            else:
                self.stdout.write(f"{user} is now {role} of {slug} (was {before}).")

    def _remove(self, person, programme, role: str) -> None:
        name, slug = person.get_username(), programme.slug
        current = (
            person.programme_memberships.filter(programme=programme)
            .values_list("role", flat=True)
            .first()
        )
        if current is None:
            self.stdout.write(f"{name} has no role on {slug}; nothing changed.")
            return
        if current != role:
            raise CommandError(
                f"{name} is {current} of {slug}, not {role}: nothing was removed "
                f"(give --remove {current} to take that role away)."
            )
        take_role(user=person, programme=programme, via=VIA)
        self.stdout.write(f"{name} is no longer {role} of {slug}.")
