"""The admin: where funding admins edit, with history, revert, conflict checks and import."""

from funding.admin import (  # noqa: F401 (registers the admins)
    audit,
    catalogue,
    contributions,
    proposals,
    teams,
    widgets,
)

widgets.install()
