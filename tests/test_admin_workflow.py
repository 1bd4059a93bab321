"""The workflow in the admin: buttons, bulk actions with a comment, the review queue."""

import pytest

from glossary import editing
from glossary.entries import ConceptEntry, TermEntry
from glossary.models import Concept

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, role_user):
    def sign_in(role: str, name: str | None = None):
        user = role_user(role, name)
        client.force_login(user)
        return client, user

    return sign_in


def submitted(role_user, slug: str) -> Concept:
    author = editing.Origin("api", role_user("editor", f"author-{slug}"))
    entry = ConceptEntry(slug, kind="place", terms=[TermEntry("en", slug)])
    concept, _ = editing.save_concept(entry, origin=author)
    return editing.transition(concept, "in_review", origin=author)


def test_the_change_page_offers_the_next_steps_and_the_status_is_read_only(signed_in):
    client, _ = signed_in("reviewer")
    khorgos = Concept.objects.get(slug="khorgos")
    response = client.get(f"/admin/glossary/concept/{khorgos.pk}/change/")
    assert "status" not in response.context["adminform"].form.fields
    html = response.content.decode()
    assert f"/admin/glossary/concept/{khorgos.pk}/workflow/retired/" in html
    assert f"/admin/glossary/concept/{khorgos.pk}/workflow/draft/" in html


def test_an_editor_sees_an_approved_concept_read_only(signed_in):
    client, _ = signed_in("editor")
    khorgos = Concept.objects.get(slug="khorgos")
    url = f"/admin/glossary/concept/{khorgos.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert client.post(url, {"note": "x"}).status_code == 403


def test_a_reviewer_approves_through_the_workflow_page(signed_in, role_user):
    concept = submitted(role_user, "test-approve-page")
    client, reviewer = signed_in("reviewer")
    url = f"/admin/glossary/concept/{concept.pk}/workflow/approved/"
    page = client.get(url)
    assert "term en “test-approve-page”" in page.content.decode()
    response = client.post(url, {"comment": "Sources checked."})
    assert response.status_code == 302
    concept.refresh_from_db()
    assert (concept.status, concept.approved_by) == ("approved", reviewer)


def test_the_author_is_told_why_they_cannot_approve(signed_in, role_user):
    concept = submitted(role_user, "test-own")
    client = signed_in("reviewer", "author-test-own-reviewer")[0]
    concept.submitted_by.groups.add(*role_user("reviewer", "x").groups.all())
    client.force_login(concept.submitted_by)
    page = client.get(f"/admin/glossary/concept/{concept.pk}/workflow/approved/")
    assert "another reviewer must approve it" in page.content.decode()


def test_the_review_queue_lists_concepts_oldest_first_and_approves_in_bulk(
    signed_in, role_user
):
    first = submitted(role_user, "test-queue-first")
    second = submitted(role_user, "test-queue-second")
    client, reviewer = signed_in("reviewer")
    page = client.get("/admin/glossary/concept/review/")
    assert [concept for concept, _ in page.context["rows"]][:2] == [first, second]
    response = client.post(
        "/admin/glossary/concept/review/",
        {"concept": [first.pk, second.pk], "to": "approved", "comment": "Batch 7."},
    )
    assert response.status_code == 302
    for concept in (first, second):
        concept.refresh_from_db()
        assert concept.status == "approved"
        assert editing.concept_history(concept)[0].comment == "approved: Batch 7."


def test_returning_in_bulk_without_a_reason_is_refused_per_concept(
    signed_in, role_user
):
    concept = submitted(role_user, "test-return-bulk")
    client, _ = signed_in("reviewer")
    response = client.post(
        "/admin/glossary/concept/",
        {
            "action": "to_draft",
            "_selected_action": [concept.pk],
            "comment": "",
        },
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("Say why" in m for m in messages), messages
    concept.refresh_from_db()
    assert concept.status == "in_review"


def test_an_approval_is_refused_when_the_concept_changed_after_it_was_shown(
    signed_in, role_user
):
    concept = submitted(role_user, "test-seen")
    client, _ = signed_in("reviewer")
    url = f"/admin/glossary/concept/{concept.pk}/workflow/approved/"
    shown = client.get(url).context["form"].initial["version"]
    Concept.objects.filter(pk=concept.pk).update(version=shown + 1)
    response = client.post(url, {"version": shown, "comment": ""})
    assert response.status_code == 200
    assert "changed after you looked at it" in response.content.decode()
    concept.refresh_from_db()
    assert concept.status == "in_review"
