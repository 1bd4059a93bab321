"""The write API: tokens, roles, ETag and If-Match, the write service's errors."""

import pytest
from knox.models import AuthToken

from glossary import editing
from glossary.models import Concept
from tests.formats.helpers import database_state

pytestmark = pytest.mark.django_db

NEW = {
    "slug": "test-api-port",
    "kind": "place",
    "terms": [
        {"language": "en", "text": "Test API Port"},
        {"language": "ru", "text": "Тестовый порт"},
    ],
}


@pytest.fixture
def token_for(role_user, api):
    """token_for("editor"): the API client authenticated by a token of that role."""

    def authenticate(role: str):
        _token, key = AuthToken.objects.create(user=role_user(role, f"tool-{role}"))
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return api

    return authenticate


def test_a_tool_with_an_editor_token_creates_a_draft_concept(token_for):
    api = token_for("editor")
    response = api.post("/api/v1/concepts/", NEW, format="json")
    assert response.status_code == 201, response.json()
    assert response["ETag"] == '"1"'
    assert response["Location"] == "/api/v1/concepts/test-api-port/"
    concept = Concept.objects.get(slug="test-api-port")
    assert concept.status == "draft"
    (version,) = editing.concept_history(concept)
    assert (version.via, version.user.username) == ("api", "tool-editor")


def test_anonymous_users_read_but_do_not_write(api):
    before = database_state()
    assert api.get("/api/v1/concepts/khorgos/").status_code == 200
    assert api.post("/api/v1/concepts/", NEW, format="json").status_code in (401, 403)
    assert database_state() == before


def test_a_viewer_token_may_not_write(token_for):
    response = token_for("viewer").post("/api/v1/concepts/", NEW, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_http_basic_is_not_accepted(api, role_user):
    role_user("admin", "basic-user")
    api.credentials(HTTP_AUTHORIZATION="Basic YmFzaWMtdXNlcjp4")  # basic-user:x
    response = api.post("/api/v1/concepts/", NEW, format="json")
    assert response.status_code in (401, 403)


def test_a_revoked_token_no_longer_authenticates(token_for):
    api = token_for("editor")
    AuthToken.objects.all().delete()
    assert api.post("/api/v1/concepts/", NEW, format="json").status_code == 401


def test_the_concept_answer_carries_its_etag(api):
    concept = Concept.objects.get(slug="khorgos")
    response = api.get("/api/v1/concepts/khorgos/")
    assert response["ETag"] == f'"{concept.version}"'


def test_an_update_without_if_match_is_a_428(token_for):
    response = token_for("admin").patch(
        "/api/v1/concepts/khorgos/", {"note": "x"}, format="json"
    )
    assert response.status_code == 428
    assert response.json()["field"] == "If-Match"


def test_a_stale_if_match_is_a_412_with_the_current_etag(token_for):
    api = token_for("admin")
    etag = api.get("/api/v1/concepts/khorgos/")["ETag"]
    first = api.patch(
        "/api/v1/concepts/khorgos/",
        {"note": "First."},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert first.status_code == 200, first.json()
    before = database_state()
    second = api.patch(
        "/api/v1/concepts/khorgos/",
        {"note": "Second."},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert second.status_code == 412
    assert second["ETag"] == first["ETag"]
    assert database_state() == before
    assert Concept.objects.get(slug="khorgos").note == "First."


def test_a_patch_changes_what_it_sends_and_keeps_the_rest(token_for):
    api = token_for("admin")
    concept = Concept.objects.get(slug="khorgos")
    terms = set(concept.terms.values_list("language", "text"))
    response = api.patch(
        "/api/v1/concepts/khorgos/",
        {"domain": "border towns"},
        format="json",
        HTTP_IF_MATCH=f'"{concept.version}"',
    )
    assert response.status_code == 200
    concept.refresh_from_db()
    assert concept.domain == "border towns"
    assert set(concept.terms.values_list("language", "text")) == terms


def test_one_request_adds_a_term(token_for):
    api = token_for("editor")
    api.post("/api/v1/concepts/", NEW, format="json")
    response = api.post(
        "/api/v1/concepts/test-api-port/terms/",
        {"language": "zh", "text": "测试港", "status": "preferred"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["terms"]["zh-Hans"][0]["text"] == "测试港"


def test_a_bad_term_is_a_400_naming_its_field_and_writes_nothing(token_for):
    api = token_for("editor")
    api.post("/api/v1/concepts/", NEW, format="json")
    before = database_state()
    response = api.post(
        "/api/v1/concepts/test-api-port/terms/",
        {"language": "ru", "text": "Второй порт", "status": "preferred"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "status"
    assert "more than one preferred term in ru" in body["error"]
    assert database_state() == before


def test_the_same_bad_input_gives_the_same_error_as_the_admin(token_for):
    body = {**NEW, "terms": [*NEW["terms"], {"language": "en", "text": "Other"}]}
    response = token_for("editor").post("/api/v1/concepts/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"].startswith("more than one preferred term in en")


def test_an_unknown_language_is_a_400_naming_the_field(token_for):
    body = {**NEW, "terms": [{"language": "xx", "text": "Test"}]}
    response = token_for("editor").post("/api/v1/concepts/", body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "terms.language"


def test_the_workflow_over_the_api(token_for, role_user):
    editor = token_for("editor")
    editor.post("/api/v1/concepts/", NEW, format="json")
    submitted = editor.post(
        "/api/v1/concepts/test-api-port/workflow/", {"to": "in_review"}, format="json"
    )
    assert submitted.json()["status"] == "in_review"
    refused = editor.post(
        "/api/v1/concepts/test-api-port/workflow/", {"to": "approved"}, format="json"
    )
    assert refused.status_code == 403
    reviewer = token_for("reviewer")
    approved = reviewer.post(
        "/api/v1/concepts/test-api-port/workflow/",
        {"to": "approved", "comment": "Checked."},
        format="json",
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_a_delete_needs_if_match_and_the_admin_role(token_for):
    concept = Concept.objects.get(slug="khorgos")
    etag = f'"{concept.version}"'
    editor = token_for("editor")
    assert editor.delete("/api/v1/concepts/khorgos/").status_code == 428
    assert (
        editor.delete("/api/v1/concepts/khorgos/", HTTP_IF_MATCH=etag).status_code
        == 403
    )
    admin = token_for("admin")
    assert (
        admin.delete("/api/v1/concepts/khorgos/", HTTP_IF_MATCH=etag).status_code == 204
    )
    assert not Concept.objects.filter(slug="khorgos").exists()


def test_a_token_made_in_the_admin_is_shown_once_and_works(client, api, role_user):
    from django.contrib.auth import get_user_model
    from django.contrib.messages import get_messages

    client.force_login(get_user_model().objects.create_superuser("boss"))
    tool = role_user("editor", "cat-tool")
    response = client.post(
        "/admin/knox/authtoken/add/", {"user": tool.pk, "expiry": ""}, follow=True
    )
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    (message,) = [m for m in messages if "copy it now" in m]
    key = message.split(" is ", 1)[1].split(" ", 1)[0]
    token = AuthToken.objects.get(user=tool)
    assert key not in token.digest and token.digest != key  # stored hashed
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.post("/api/v1/concepts/", NEW, format="json").status_code == 201


def test_a_create_never_replaces_an_existing_concept(token_for):
    before = database_state()
    body = {
        "slug": "khorgos",
        "kind": "place",
        "terms": [{"language": "en", "text": "X"}],
    }
    response = token_for("admin").post("/api/v1/concepts/", body, format="json")
    assert response.status_code == 400 and response.json()["field"] == "slug"
    assert database_state() == before


def test_a_create_whose_term_another_concept_has_makes_a_new_one_with_a_warning(
    token_for,
):
    body = {"kind": "place", "terms": [{"language": "en", "text": "KHORGOS"}]}
    response = token_for("editor").post("/api/v1/concepts/", body, format="json")
    assert response.status_code == 201
    assert response.json()["slug"] != "khorgos"
    assert any("also a term of khorgos" in w for w in response.json()["warnings"])
    assert Concept.objects.get(slug="khorgos").terms.filter(text="Khorgos").exists()


def test_a_put_of_the_terms_keeps_their_quotes_and_the_visibility(token_for):
    api = token_for("admin")
    concept = Concept.objects.get(slug="khorgos")
    quoted = concept.terms.get(language="en", text="Khorgos").quotes.count()
    body = api.get("/api/v1/concepts/khorgos/").json()
    terms = [
        {key: term[key] for key in ("language", "text", "status", "term_type")}
        for group in body["terms"].values()
        for term in group
    ]
    response = api.put(
        "/api/v1/concepts/khorgos/",
        {"kind": "place", "domain": "geography", "terms": terms},
        format="json",
        HTTP_IF_MATCH=f'"{concept.version}"',
    )
    assert response.status_code == 200, response.json()
    concept.refresh_from_db()
    assert concept.terms.get(language="en", text="Khorgos").quotes.count() == quoted
    assert concept.visibility == "public"


def test_a_slug_another_concept_has_is_a_400_naming_the_slug(token_for):
    concept = Concept.objects.get(slug="khorgos")
    response = token_for("admin").patch(
        "/api/v1/concepts/khorgos/",
        {"slug": "astana"},
        format="json",
        HTTP_IF_MATCH=f'"{concept.version}"',
    )
    assert response.status_code == 400
    assert response.json()["field"] == "slug"


def test_a_relation_to_no_concept_is_a_400_naming_it(token_for):
    body = {**NEW, "relations": [{"kind": "related", "target": "no-such-concept"}]}
    response = token_for("editor").post("/api/v1/concepts/", body, format="json")
    assert response.status_code == 400
    assert "'no-such-concept'" in response.json()["error"]
    assert response.json()["field"] == "relations[0].target"
