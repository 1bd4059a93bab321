"""History of concepts and quotes: who changed what, when, through which path.

Recorded with django-reversion, one revision per write. A concept's version holds the
concept's whole state (terms, definitions, relations, the quotes of each term) as the
write service compares it, so two versions diff field by field and a revert is an
ordinary write of an older state, through the same rules.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import reversion
from django.core.serializers.json import Deserializer  # noqa: F401 (serializer API)
from django.core.serializers.json import Serializer as JsonSerializer
from reversion.models import Version

from ..models import Concept, Quote, RevisionOrigin, SourceDocument
from .state import ConceptState, changes, state_of, with_state

# The serialization format of concept versions: Django's JSON plus the state. Settings
# name this module in SERIALIZATION_MODULES under it.
SNAPSHOT_FORMAT = "glossary_concept"


class Serializer(JsonSerializer):
    """Django's JSON, with a concept's whole state beside its own fields."""

    def get_dump_object(self, obj):
        data = super().get_dump_object(obj)
        state = getattr(obj, "glossary_state", None)
        if state is None:
            state = state_of(with_state(Concept.objects.filter(pk=obj.pk)).get())
        data["state"] = state.to_json()
        return data


def register() -> None:
    """Put the glossary's models under version control (from the app's ready())."""
    reversion.register(Concept, format=SNAPSHOT_FORMAT, exclude=("seed_digest",))
    reversion.register(Quote)
    # The text is evidence and never changes once quoted; its metadata is recorded.
    reversion.register(SourceDocument, exclude=("text",))


@dataclass(frozen=True)
class Origin:
    """Who makes a change and through which path: admin, api, import, seed, revert."""

    via: str
    user: object = None
    detail: str = ""  # the file name of an import, the version a revert restores

    @property
    def recorded_user(self):
        user = self.user
        return user if user is not None and user.is_authenticated else None


@contextmanager
def recording(origin: Origin) -> Iterator[None]:
    """A revision around a write; the caller opens the transaction."""
    with reversion.create_revision(manage_manually=True, atomic=False):
        reversion.set_user(origin.recorded_user)
        reversion.add_meta(RevisionOrigin, via=origin.via, detail=origin.detail[:500])
        yield


def record(instance, state: ConceptState | None = None) -> None:
    """Add a concept (with the state it now has) or a quote to the open revision."""
    if state is not None:
        instance.glossary_state = state
    reversion.add_to_revision(instance)


def set_comment(comment: str) -> None:
    reversion.set_comment(comment)


@dataclass
class Snapshot:
    """One recorded version of a concept."""

    id: int
    number: int
    date: datetime
    user: object
    via: str
    detail: str
    comment: str
    state: ConceptState
    slug: str

    @property
    def via_label(self) -> str:
        return RevisionOrigin.Via(self.via).label if self.via else ""


def _snapshot(version: Version) -> Snapshot:
    data = json.loads(version.serialized_data)[0]
    revision = version.revision
    origin = getattr(revision, "origin", None)
    return Snapshot(
        id=version.pk,
        number=data["fields"]["version"],
        date=revision.date_created,
        user=revision.user,
        via=origin.via if origin else "",
        detail=origin.detail if origin else "",
        comment=revision.comment,
        state=ConceptState.from_json(data["state"]),
        slug=data["fields"]["slug"],
    )


def concept_history(concept: Concept) -> list[Snapshot]:
    """The concept's recorded versions, newest first."""
    versions = (
        Version.objects.get_for_object(concept)
        .select_related("revision__user", "revision__origin")
        .order_by("-revision__date_created", "-pk")
    )
    return [_snapshot(version) for version in versions]


def history_with_changes(concept: Concept) -> list[tuple[Snapshot, list]]:
    """Each recorded version, newest first, with what it changed from the one before."""
    versions = concept_history(concept)
    return [
        (newer, changes(older.state if older else ConceptState(), newer.state))
        for newer, older in zip(versions, [*versions[1:], None], strict=True)
    ]


def snapshot(concept: Concept, version_id: int) -> Snapshot | None:
    """One recorded version of the concept, or None if it is not one of its own."""
    version = (
        Version.objects.get_for_object(concept)
        .select_related("revision__user", "revision__origin")
        .filter(pk=version_id)
        .first()
    )
    return _snapshot(version) if version else None


def state_at(concept: Concept, number: int) -> ConceptState | None:
    """The state the concept had at its version `number`, if that was recorded."""
    return next(
        (item.state for item in concept_history(concept) if item.number == number),
        None,
    )


def changes_since(concept: Concept, opened: int):
    """The changes made to a concept after its version `opened`, and the latest one."""
    history = concept_history(concept)
    latest = history[0] if history else None
    then = next((item for item in history if item.number == opened), None)
    if then is None:
        return [], latest
    now = state_of(with_state(Concept.objects.filter(pk=concept.pk)).get())
    return changes(then.state, now), latest
