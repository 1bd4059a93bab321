"""The glossary app."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class GlossaryConfig(AppConfig):
    name = "glossary"
    label = "glossary"
    verbose_name = _("Glossary")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .models import Concept, ConceptRelation, Term, bump_glossary_version

        for model in (Concept, Term, ConceptRelation):
            post_save.connect(
                bump_glossary_version,
                sender=model,
                dispatch_uid=f"bump-{model.__name__}",
            )
            post_delete.connect(
                bump_glossary_version,
                sender=model,
                dispatch_uid=f"bump-del-{model.__name__}",
            )
