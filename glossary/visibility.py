"""Who sees which concepts: the one visibility rule of every read made for a reader.

Internal concepts, and all they hold (terms, quotes that attest only their terms,
relations to them), are seen only by users whose role may read them
(`permissions.Action.READ_INTERNAL`). Drafts are seen by everyone, marked as such,
unless GLOSSARY_HIDE_DRAFTS_FROM_ANONYMOUS keeps concepts not yet approved (draft or in
review) from anonymous users. Selectors take a `Visible` and put its condition into
the querysets they build; answers cached for one reader carry it in their key.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from . import permissions
from .models import Concept, Term

UNAPPROVED = (Concept.Status.DRAFT, Concept.Status.IN_REVIEW)


@dataclass(frozen=True)
class Visible:
    """What one reader may see: internal concepts or not, drafts or not."""

    internal: bool = False
    drafts: bool = True

    def condition(self, path: str = "") -> Q:
        """The concepts reached through `path` (`concept__` from a term) shown."""
        condition = Q()
        if not self.internal:
            condition &= Q(**{f"{path}visibility": Concept.Visibility.PUBLIC})
        if not self.drafts:
            condition &= ~Q(**{f"{path}status__in": UNAPPROVED})
        return condition

    def concepts(self) -> QuerySet[Concept]:
        """The concepts shown."""
        return Concept.objects.filter(self.condition())

    def terms(self) -> QuerySet[Term]:
        """The terms shown: those of the concepts shown."""
        return Term.objects.filter(self.condition("concept__"))


# Public concepts, drafts included: the selectors' default, so a read made for no
# one in particular shows nothing internal.
PUBLIC = Visible()
# Everything: for the staff's own tools (the commands, the admin).
EVERYTHING = Visible(internal=True)


def for_user(user) -> Visible:
    """What a user (or AnonymousUser, or None) may see."""
    anonymous = user is None or not user.is_authenticated
    hide_drafts = getattr(settings, "GLOSSARY_HIDE_DRAFTS_FROM_ANONYMOUS", False)
    return Visible(
        internal=permissions.allowed(user, permissions.Action.READ_INTERNAL),
        drafts=not (anonymous and hide_drafts),
    )
