"""The team's roles as groups: viewer, editor, reviewer, admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["concept", "term", "definition", "quote", "sourcedocument", "conceptrelation"]
VIEWER = [f"view_{model}" for model in MODELS] + ["view_internal"]
EDITOR = (
    VIEWER
    + [f"{action}_{model}" for action in ("add", "change") for model in MODELS]
    + ["submit_concept"]
)
REVIEWER = EDITOR + ["review_concept"]
ADMIN = REVIEWER + [f"delete_{model}" for model in MODELS]
ROLES = {"viewer": VIEWER, "editor": EDITOR, "reviewer": REVIEWER, "admin": ADMIN}


def create_roles(apps, schema_editor):
    # Permissions are made after migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="glossary", codename__in=codenames
            )
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0008_concept_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
