"""Funding admins read the sign-in audit and see and lift lockouts (django-axes)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FUNDING_ADMINS = "Funding admins"
# Frozen here: a migration must not change when the app's code does.
PERMISSIONS = [
    ("accounts", "view_signinevent"),
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
    ("axes", "view_accesslog"),
    ("axes", "view_accessfailurelog"),
]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admins, _ = Group.objects.get_or_create(name=FUNDING_ADMINS)
    for app_label, codename in PERMISSIONS:
        admins.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admins = Group.objects.filter(name=FUNDING_ADMINS).first()
    if admins is None:
        return
    for app_label, codename in PERMISSIONS:
        admins.permissions.remove(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("axes", "0010_accessattemptexpiration"),
        ("funding", "0002_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
