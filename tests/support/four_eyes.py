"""The four-eyes rule's tests: the shipped data set with the rule on, and a programme team."""

from django.contrib.auth.models import User

from funding.governance.context import switching
from funding.models import Contribution, Programme, ProgrammeMembership, TeamRole
from tests.support.users import make_user

EU_KEY = "eu-cofinanciering"


def rule_on(programme: Programme) -> Programme:
    """Turns the rule on again (the tests' data set has it off; the loader ships it on)."""
    with switching():
        Programme.objects.filter(pk=programme.pk).update(four_eyes=True)
    programme.refresh_from_db()
    return programme


def eu_contribution() -> Contribution:
    return Contribution.objects.get(key=EU_KEY)


def member(username: str, programme: Programme, role: str, **extra) -> User:
    user = make_user(username, **extra)
    ProgrammeMembership.objects.create(programme=programme, user=user, role=role)
    return user


def team(programme: Programme) -> tuple[User, User]:
    """An editor and an approver of the programme, each with an address."""
    editor = member("editor", programme, TeamRole.EDITOR, email="editor@example.org")
    approver = member("approver", programme, TeamRole.APPROVER, email="approver@example.org")
    return editor, approver


def sample_proposal(programme: Programme):
    """A pending proposal on the EU contribution, by someone who is no visitor of the walks:
    the walks of every address need a record for the proposals' admin pages."""
    from funding.governance.proposals import propose
    from funding.governance.rules import GuardedChange

    change = GuardedChange("change", programme.pk, {"amount": "7.00"}, {"amount": "8.00"})
    return propose(eu_contribution(), change, proposer=make_user("proposer"), notify=False)
