"""draft → in review → approved → retired, and back to draft with a reason, by role."""

import pytest

from glossary import editing
from glossary.entries import ConceptEntry, TermEntry
from glossary.errors import GlossaryError, PermissionRefused
from glossary.models import Concept

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(role_user):
    origin = editing.Origin("api", role_user("editor", "author"))
    entry = ConceptEntry(
        "test-workflow", kind="place", terms=[TermEntry("en", "Test Workflow")]
    )
    concept, _ = editing.save_concept(entry, origin=origin)
    return concept, origin


def test_an_editor_submits_and_another_reviewer_approves(draft, role_user):
    concept, author = draft
    concept = editing.transition(concept, "in_review", origin=author)
    assert concept.submitted_by == author.user
    reviewer = editing.Origin("admin", role_user("reviewer"))
    concept = editing.transition(
        concept, "approved", origin=reviewer, comment="Checked against Xinhua."
    )
    assert (concept.status, concept.approved_by) == ("approved", reviewer.user)
    assert concept.approved_at is not None
    latest = editing.concept_history(concept)[0]
    assert latest.comment == "approved: Checked against Xinhua."
    assert latest.user == reviewer.user


def test_nobody_approves_their_own_submission(draft, role_user):
    concept, _author = draft
    reviewer = editing.Origin("admin", role_user("reviewer"))
    concept = editing.transition(concept, "in_review", origin=reviewer)
    with pytest.raises(PermissionRefused, match="another reviewer"):
        editing.transition(concept, "approved", origin=reviewer)
    assert Concept.objects.get(pk=concept.pk).status == "in_review"


def test_an_editor_may_not_approve(draft, role_user):
    concept, author = draft
    concept = editing.transition(concept, "in_review", origin=author)
    other = editing.Origin("api", role_user("editor", "other-editor"))
    with pytest.raises(PermissionRefused) as refused:
        editing.transition(concept, "approved", origin=other)
    assert refused.value.status == 403


def test_returning_to_draft_needs_a_reason(draft, role_user):
    concept, author = draft
    concept = editing.transition(concept, "in_review", origin=author)
    reviewer = editing.Origin("admin", role_user("reviewer"))
    with pytest.raises(GlossaryError) as error:
        editing.transition(concept, "draft", origin=reviewer)
    assert error.value.field == "comment"
    concept = editing.transition(
        concept, "draft", origin=reviewer, comment="Russian form unsourced."
    )
    assert concept.status == "draft" and concept.submitted_by is None


def test_only_an_approved_concept_retires(draft, role_user):
    concept, _author = draft
    reviewer = editing.Origin("admin", role_user("reviewer"))
    with pytest.raises(GlossaryError, match="cannot become"):
        editing.transition(concept, "retired", origin=reviewer)


def test_an_editor_may_not_edit_an_approved_concept(role_user):
    editor = editing.Origin("api", role_user("editor"))
    khorgos = Concept.objects.get(slug="khorgos")
    entry = editing.entry_from_state(
        khorgos, editing.concept_state(khorgos), version=khorgos.version
    )
    entry.note = "An editor's change."
    with pytest.raises(PermissionRefused, match="reviewer"):
        editing.save_concept(entry, origin=editor)


def test_the_status_does_not_change_by_editing(draft):
    concept, author = draft
    entry = editing.entry_from_state(
        concept, editing.concept_state(concept), version=concept.version
    )
    entry.status = "approved"
    with pytest.raises(PermissionRefused, match="workflow"):
        editing.save_concept(entry, origin=author)


def test_a_viewer_may_not_create(role_user):
    viewer = editing.Origin("api", role_user("viewer"))
    entry = ConceptEntry("test-viewer", kind="place", terms=[TermEntry("en", "X")])
    with pytest.raises(PermissionRefused):
        editing.save_concept(entry, origin=viewer)
    assert not Concept.objects.filter(slug="test-viewer").exists()


def test_an_editor_may_not_change_the_quotes_of_an_approved_concept(role_user):
    editor = editing.Origin("admin", role_user("editor"))
    quote = Concept.objects.get(slug="khorgos").terms.get(text="Khorgos").quotes.first()
    with pytest.raises(PermissionRefused):
        editing.delete_quote(quote, origin=editor)
    assert quote.terms.exists()


def test_deleting_a_concept_records_the_concepts_related_to_it(origin):
    khorgos = Concept.objects.get(slug="khorgos")
    source = khorgos.incoming_relations.first().source
    versions = len(editing.concept_history(source))
    editing.delete_concept(khorgos, origin=origin)
    history = editing.concept_history(source)
    assert len(history) == versions + 1
    assert all(target != "khorgos" for _kind, target in history[0].state.relations)
