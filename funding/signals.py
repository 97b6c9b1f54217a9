"""Clear the public pages' cache whenever a funding record changes, however it is changed."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from aifabriek.ops.backup import restored
from funding.cache import bump_generation


def funding_record_changed(sender, **kwargs):
    # Raw saves come from loading fixtures, which happen before anything is cached.
    if kwargs.get("raw"):
        return
    bump_generation()


def backup_restored(sender, **kwargs):
    # A restore writes with raw deletes and bulk inserts, which send no model signals.
    bump_generation()


def connect() -> None:
    """Connect the cache-clearing receiver to every model of the funding app, and to restores."""
    for model in apps.get_app_config("funding").get_models():
        if model.__name__.startswith("Historical"):
            continue  # saved together with the record it copies, which already bumps
        uid = f"funding-cache-{model._meta.label_lower}"
        post_save.connect(funding_record_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(funding_record_changed, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(funding_record_changed, sender=through, dispatch_uid=f"{uid}-m2m")
    restored.connect(backup_restored, dispatch_uid="funding-cache-restored")
