"""Create the two groups that users get their rights from."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

POLICY_STAFF = "Policy staff"
FUNDING_ADMINS = "Funding admins"
# Frozen here: a migration must not change when the app's code does.
MODELS = [
    "organisation",
    "source",
    "programme",
    "partnerrole",
    "contribution",
    "contributionsource",
    "contributionshare",
    "statusevent",
    "payment",
    "milestone",
    "dateestimate",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    funding = Permission.objects.filter(content_type__app_label="funding", content_type__model__in=MODELS)
    staff, _ = Group.objects.get_or_create(name=POLICY_STAFF)
    staff.permissions.set(funding.filter(codename__startswith="view_"))
    admins, _ = Group.objects.get_or_create(name=FUNDING_ADMINS)
    admins.permissions.set(funding)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[POLICY_STAFF, FUNDING_ADMINS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
