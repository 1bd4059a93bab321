"""The glossary app."""

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = _("Glossary")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .models import (
            Concept,
            ConceptRelation,
            Definition,
            Quote,
            SourceDocument,
            Term,
            bump_glossary_version,
        )

        # Everything a lookup, recognition or export answer shows: a change to any of
        # it invalidates the caches built from the glossary, in every process.
        for model in (
            Concept,
            Term,
            ConceptRelation,
            Definition,
            Quote,
            SourceDocument,
        ):
            name = model.__name__
            post_save.connect(
                bump_glossary_version, sender=model, dispatch_uid=f"bump-{name}"
            )
            post_delete.connect(
                bump_glossary_version, sender=model, dispatch_uid=f"bump-del-{name}"
            )
        m2m_changed.connect(
            bump_glossary_version,
            sender=Quote.terms.through,
            dispatch_uid="bump-quote-terms",
        )

        from .editing import history

        history.register()
