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

# The workflow: each allowed move of a concept's status, and the action it is.
TRANSITIONS: dict[tuple[str, str], Action] = {
    (Status.DRAFT, Status.IN_REVIEW): Action.SUBMIT,
    (Status.IN_REVIEW, Status.APPROVED): Action.APPROVE,
    (Status.APPROVED, Status.RETIRED): Action.RETIRE,
    (Status.IN_REVIEW, Status.DRAFT): Action.RETURN,
    (Status.APPROVED, Status.DRAFT): Action.RETURN,
    (Status.RETIRED, Status.DRAFT): Action.RETURN,
}

# What each action needs: the permissions.
_NEEDS: dict[Action, list[str]] = {
    Action.READ_INTERNAL: ["glossary.view_internal"],
    Action.CREATE: ["glossary.add_concept"],
    Action.EDIT: ["glossary.change_concept"],
    Action.SUBMIT: ["glossary.submit_concept"],
    Action.APPROVE: [REVIEW],
    Action.RETURN: [REVIEW],
    Action.RETIRE: [REVIEW],
    Action.DELETE: ["glossary.delete_concept"],
    Action.IMPORT: ["glossary.add_concept", "glossary.change_concept", REVIEW],
}


def _starts(action: Action) -> set[str] | None:
    """The statuses a workflow action starts from; None for other actions."""
    starts = {start for (start, _to), moves in TRANSITIONS.items() if moves is action}
    return starts or None


def refusal(user, action: Action, concept: Concept | None = None) -> str | None:
    """Why the user may not do this, or None when they may."""
    permissions, statuses = _NEEDS[action], _starts(action)
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
