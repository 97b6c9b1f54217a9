"""The one way past the four-eyes guard on the models: a context that says why.

Only three things set it: `apply` of an approved proposal (funding/governance/proposals.py), a
superuser's break-glass change (when the setting allows it; audited), and the data-set loader
and the demo generator seeding programmes the database never held. Nothing else may.
"""

from contextlib import contextmanager
from contextvars import ContextVar

APPROVED = "approved"
BREAK_GLASS = "break_glass"
SEED = "seed"
SWITCH = "switch"

_mode: ContextVar[str | None] = ContextVar("four_eyes_mode", default=None)


def current_mode() -> str | None:
    return _mode.get()


@contextmanager
def _in_mode(mode: str):
    token = _mode.set(mode)
    try:
        yield
    finally:
        _mode.reset(token)


def applying_approval():
    """Writes of an approved proposal (and only those) inside; used by `apply` alone."""
    return _in_mode(APPROVED)


def breaking_glass():
    """A superuser's change applied alone; `proposals.break_glass` checks and audits it."""
    return _in_mode(BREAK_GLASS)


def seeding():
    """The data-set loader and the demo generator creating programmes the database never held:
    no public figure changes, because nothing was there before."""
    return _in_mode(SEED)


def switching():
    """A programme's four-eyes switch being turned by `switch.set_four_eyes` (audited)."""
    return _in_mode(SWITCH)
