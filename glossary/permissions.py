"""Who may do what to a concept: the one permission layer the admin and the API share.

Roles are groups made by a migration (viewer, editor, reviewer, admin), each a set of
Django permissions; the rules below read the permissions, never the group names, so a
deployment can shape its own roles. Review follows the four-eyes principle: nobody
approves a concept they submitted, except a superuser, who can always step in.
"""

from enum import StrEnum

from django.utils.translation import gettext as _

from .errors import PermissionRefused
from .models import Concept


class Action(StrEnum):
    READ_INTERNAL = "read_internal"
    CREATE = "create"
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    RETIRE = "retire"
    DELETE = "delete"
    IMPORT = "import"


Status = Concept.Status
REVIEW = "glossary.review_concept"

# What each action needs: the permissions, and the statuses it starts from.
_NEEDS: dict[Action, tuple[list[str], set[str] | None]] = {
    Action.READ_INTERNAL: (["glossary.view_internal"], None),
    Action.CREATE: (["glossary.add_concept"], None),
    Action.EDIT: (["glossary.change_concept"], None),
    Action.SUBMIT: (["glossary.submit_concept"], {Status.DRAFT}),
    Action.APPROVE: ([REVIEW], {Status.IN_REVIEW}),
    Action.RETURN: ([REVIEW], {Status.IN_REVIEW, Status.APPROVED, Status.RETIRED}),
    Action.RETIRE: ([REVIEW], {Status.APPROVED}),
    Action.DELETE: (["glossary.delete_concept"], None),
    Action.IMPORT: (["glossary.add_concept", "glossary.change_concept", REVIEW], None),
}


def refusal(user, action: Action, concept: Concept | None = None) -> str | None:
    """Why the user may not do this, or None when they may."""
    permissions, statuses = _NEEDS[action]
    if user is None or not user.is_authenticated:
        return _("Sign in first: only team members change the glossary.")
    if not user.has_perms(permissions):
        return _("Your role does not allow this (%(action)s).") % {"action": action}
    if concept is None:
        return None
    if statuses is not None and concept.status not in statuses:
        return _("A concept that is %(status)s cannot be sent to %(action)s.") % {
            "status": concept.get_status_display(),
            "action": action,
        }
    if (
        action is Action.EDIT
        and concept.status != Status.DRAFT
        and not user.has_perm(REVIEW)
    ):
        return _(
            "Only a reviewer changes a concept that is %(status)s; ask one to "
            "return it to draft."
        ) % {"status": concept.get_status_display()}
    if (
        action is Action.APPROVE
        and concept.submitted_by_id == user.pk
        and not user.is_superuser
    ):
        return _("You submitted this concept; another reviewer must approve it.")
    return None


def allowed(user, action: Action, concept: Concept | None = None) -> bool:
    return refusal(user, action, concept) is None


def check(user, action: Action, concept: Concept | None = None) -> None:
    """Raise PermissionRefused, saying why, unless the user may do this."""
    if reason := refusal(user, action, concept):
        raise PermissionRefused(reason, field="status" if concept else None)
