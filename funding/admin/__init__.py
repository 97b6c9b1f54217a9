"""The admin: where funding admins edit, with history, revert, conflict checks and import."""

from funding.admin import catalogue, contributions, proposals, widgets  # noqa: F401 (registers the admins)

widgets.install()
