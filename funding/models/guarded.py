"""The four-eyes guard on the models: a save, delete or update that would change what the public
sees alone is refused with ApprovalRequired, whoever makes it (admin, command, shell). The rule
itself (which fields, when) is in funding/governance/rules.py."""

from django.db import models

from funding.governance.rules import (
    refusal_for_bulk_delete,
    refusal_for_delete,
    refusal_for_save,
    refusal_for_update,
)


class GuardedQuerySet(models.QuerySet):
    def update(self, **kwargs):
        refusal_for_update(self, kwargs)
        return super().update(**kwargs)

    def delete(self):
        refusal_for_bulk_delete(self)
        return super().delete()

    # bulk_update writes through `update` (one per batch) and is guarded by it.


class Guarded:
    """Mixed into a model before its base: checks every save and delete of one record."""

    def save(self, *args, **kwargs):
        refusal_for_save(self)
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refusal_for_delete(self)
        return super().delete(*args, **kwargs)
