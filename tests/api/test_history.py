import pytest

from glossary import editing
from glossary.entries import ConceptEntry, TermEntry

pytestmark = pytest.mark.django_db


def test_the_history_lists_versions_newest_first_with_their_changes(api, role_user):
    user = role_user("editor")
    origin = editing.Origin("admin", user)
    entry = ConceptEntry(
        "test-api-history", kind="place", terms=[TermEntry("en", "Test")], whole=True
    )
    editing.save_concept(entry, origin=origin)
    entry.note = "Checked against the source."
    editing.save_concept(entry, origin=origin)
    body = api.get("/api/v1/concepts/test-api-history/history/").json()
    assert [version["version"] for version in body] == [2, 1]
    assert body[0]["user"] == "editor" and body[0]["via"] == "admin"
    assert body[0]["changes"] == [
        {"subject": "note", "old": "", "new": "Checked against the source."}
    ]
    assert {"subject": "term en “Test”", "old": "", "new": "preferred"} in (
        body[1]["changes"]
    )


def test_the_seed_concepts_have_their_load_recorded(api):
    body = api.get("/api/v1/concepts/khorgos/history/").json()
    assert body[-1]["via"] == "seed" and body[-1]["user"] is None


def test_the_history_of_an_unknown_concept_is_a_404_naming_the_slug(api):
    response = api.get("/api/v1/concepts/no-such-concept/history/")
    assert response.status_code == 404
    assert response.json()["field"] == "slug"
