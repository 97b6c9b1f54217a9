"""A database worth backing up, and a snapshot of it to compare after a restore.

`make_edits()` also runs in a subprocess (`manage.py shell -c`) against an SQLite file, to move
that file into PostgreSQL the way docs/operations.md says.
"""

from datetime import date
from decimal import Decimal

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SignInEvent
from aifabriek.ops.backup import backed_up_models
from funding.demo.data import generate_demo_data
from funding.models import (
    Contribution,
    ContributionStatus,
    DateEstimate,
    Milestone,
    Organisation,
    Payment,
    Programme,
    Source,
)
from funding.permissions import FUNDING_ADMINS, POLICY_STAFF

GENERATED_PROGRAMMES = 5
PASSWORD = "a-test-password-of-some-length"
CENT = Decimal("0.01")


def quick_hash(password: str) -> str:
    """A real hash from the first configured hasher (the tests configure a fast one)."""
    return make_password(password)


def make_edits() -> None:
    """Edits through the models (so history exists), users in groups, a small portfolio made
    through the models and a generated one (payments, shares, status events, estimates).

    The shipped programme's four-eyes rule is turned off first, as its approver would (audited):
    what is checked here is the move of the data, not the rule."""
    from funding.governance.switch import set_four_eyes

    root = User.objects.create(username="rule-switcher", is_superuser=True)
    shipped = Programme.objects.get(slug="ai-fabriek-groningen")
    set_four_eyes(shipped, False, user=root, reason="the move is checked, not the rule")
    rijk = Contribution.objects.get(key="rijk")
    rijk.notes = "Split still not published."
    rijk.save()
    regio = Contribution.objects.get(key="nij-begun")
    Payment.objects.create(
        contribution=regio,
        paid_on=date(2026, 3, 1),
        amount=Decimal("1500000.50"),
        source=Source.objects.first(),
    )
    controller = User.objects.create(username="controller", password=quick_hash(PASSWORD))
    controller.groups.add(Group.objects.get(name=FUNDING_ADMINS))  # and is_staff with it
    staff = User.objects.create(username="staff", password=quick_hash("another-password"))
    staff.groups.add(Group.objects.get(name=POLICY_STAFF))
    User.objects.create(
        username="root", password=quick_hash("a-third-one"), is_staff=True, is_superuser=True
    )
    # A second factor and its recovery codes, which must survive a move between databases.
    TOTPDevice.objects.create(user=controller, name="phone", confirmed=True)
    recovery = StaticDevice.objects.create(user=controller, name="backup", confirmed=True)
    StaticToken.objects.create(device=recovery, token="a1b2c3d4")
    SignInEvent.objects.create(kind=SignInEvent.Kind.SIGNED_IN, user=controller)
    LogEntry.objects.create(
        user=controller,
        content_type=ContentType.objects.get_for_model(Contribution),
        object_id=str(rijk.pk),
        object_repr=str(rijk),
        action_flag=CHANGE,
        change_message="Changed notes.",
    )
    funder = Organisation.objects.create(key="generated-funder", name="Generated funder")
    source = Source.objects.create(key="generated-source", title="Generated decision")
    for n in range(GENERATED_PROGRAMMES):
        programme = Programme.objects.create(
            name=f"Generated programme {n}",
            slug=f"generated-{n}",
            target=Decimal("1000000.00") * (n + 1),
            is_public=n % 2 == 0,
            four_eyes=False,  # the backup's tests change what they made; the rule has its own
        )
        for status in (ContributionStatus.REQUESTED, ContributionStatus.COMMITTED):
            Contribution.objects.create(
                programme=programme,
                key=f"generated-{n}-{status}",
                funder=funder,
                amount=Decimal("250000.25") * (n + 1),
                status=status,
            )
        milestone = Milestone.objects.create(
            programme=programme, key=f"generated-{n}-start", title="Start"
        )
        DateEstimate.objects.create(milestone=milestone, precision="year", year=2027, source=source)
    generate_demo_data(programmes=4, contributions=40, big=20, seed=11)


def snapshot() -> dict:
    """Everything a restore must bring back, in comparable form."""
    return {
        "rows": {model._meta.label: model._base_manager.count() for model in backed_up_models()},
        "totals": {
            # Cents: SQLite gives sums of whole amounts as Decimal("130000000").
            p.slug: tuple(
                Decimal(amount).quantize(CENT)
                for amount in (p.target, p.committed, p.pending, p.disbursed)
            )
            for p in Programme.objects.with_totals()
        },
        "users": sorted(
            User.objects.values_list("username", "password", "is_staff", "is_superuser")
        ),
        "memberships": sorted(
            User.groups.through.objects.values_list("user__username", "group__name")
        ),
        "group_permissions": sorted(
            Group.permissions.through.objects.values_list(
                "group__name", "permission__content_type__app_label", "permission__codename"
            )
        ),
        "history": sorted(
            Contribution.history.values_list("key", "amount", "notes", "history_user__username")
        ),
        "admin_log": list(LogEntry.objects.values_list("content_type__model", "change_message")),
        "second_factors": sorted(TOTPDevice.objects.values_list("user__username", "key")),
        "recovery_codes": sorted(
            StaticToken.objects.values_list("device__user__username", "token")
        ),
    }
