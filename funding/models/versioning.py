"""Optimistic locking: a version number that every save of a row checks and raises."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConflictError(Exception):
    """The row was saved by someone else since the version this save started from."""

    def __init__(self, instance, expected_version: int):
        self.instance = instance
        self.expected_version = expected_version
        super().__init__(
            f"{type(instance).__name__} {instance.pk} is no longer at version {expected_version}"
        )


class Versioned(models.Model):
    """A model whose updates succeed only if the row is still at the version that was read.

    The check is one statement, `UPDATE ... SET version = n + 1 WHERE pk = ... AND version = n`,
    so two saves that started from the same version cannot both succeed, whatever the process.
    """

    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Goes up by one on every save.")
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        expected = self.version
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        self.version = expected + 1
        self._expected_version = expected
        try:
            return super().save(*args, **kwargs)
        except ConflictError:
            self.version = expected
            raise
        finally:
            self._expected_version = None

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        expected = getattr(self, "_expected_version", None)
        if expected is None:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        updated = super()._do_update(
            base_qs.filter(version=expected), using, pk_val, values, update_fields, forced_update
        )
        if not updated and base_qs.filter(pk=pk_val).exists():
            raise ConflictError(self, expected)
        return updated
