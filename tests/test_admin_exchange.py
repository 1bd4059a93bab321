from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from glossary.models import Concept
from tests.formats.helpers import check

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/glossary/concept/import/"


@pytest.fixture
def editor(client):
    """A signed-in staff member with the glossary's permissions, not a superuser."""
    user = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="glossary")
    )
    client.force_login(user)
    return client


def test_the_download_action_exports_the_selected_concepts(editor, tmp_path):
    selected = Concept.objects.filter(slug__in=["khorgos", "astana"])
    response = editor.post(
        "/admin/glossary/concept/",
        {"action": "download_tbx", "_selected_action": [c.pk for c in selected]},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="glossary-')
    data = b"".join(response.streaming_content)
    assert check("tbx", data, tmp_path) == "valid"
    assert data.count(b"<conceptEntry ") == 2


def test_the_change_list_links_to_the_import_page(editor):
    html = editor.get("/admin/glossary/concept/").content.decode()
    assert f'href="{IMPORT_URL}"' in html


def test_an_upload_shows_the_dry_run_and_a_confirmation_imports_it(editor):
    upload = SimpleUploadedFile("terms.csv", b"en,ru\nTest Admin Import,\xd0\xa2\n")
    response = editor.post(IMPORT_URL, {"file": upload, "kind": "event"})
    html = response.content.decode()
    assert "Dry run of terms.csv, nothing written: 1 created" in html
    assert not Concept.objects.filter(slug="test-admin-import").exists()
    pending = Path(editor.session["glossary_pending_import"]["path"])
    token = editor.session["glossary_pending_import"]["token"]
    assert pending.exists() and f'value="{token}"' in html

    response = editor.post(IMPORT_URL, {"confirm": token}, follow=True)
    assert "Imported terms.csv: 1 created" in response.content.decode()
    assert Concept.objects.get(slug="test-admin-import").kind == "event"
    assert not pending.exists()


def test_a_file_with_conflicts_offers_no_confirmation(editor):
    upload = SimpleUploadedFile("terms.csv", b"id,en\nbad slug,Test\n")
    html = editor.post(IMPORT_URL, {"file": upload, "kind": "phrase"}).content.decode()
    assert "is no slug" in html
    assert 'name="confirm"' not in html
    assert "glossary_pending_import" not in editor.session


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("terms.pdf", b"%PDF", "Cannot import &#x27;terms.pdf&#x27;"),
        ("terms.tbx", b'<!DOCTYPE tbx SYSTEM "http://x.example/d.dtd"><tbx/>', "DTD"),
    ],
)
def test_an_unreadable_file_is_shown_as_an_error_and_not_kept(
    editor, name, data, message
):
    upload = SimpleUploadedFile(name, data)
    html = editor.post(IMPORT_URL, {"file": upload, "kind": "phrase"}).content.decode()
    assert message in html
    assert "glossary_pending_import" not in editor.session


def test_a_stale_confirmation_imports_nothing(editor):
    count = Concept.objects.count()
    response = editor.post(IMPORT_URL, {"confirm": "forged"}, follow=True)
    assert "That upload has expired" in response.content.decode()
    assert Concept.objects.count() == count


def test_the_import_page_needs_the_right_to_add_concepts(client):
    user = get_user_model().objects.create_user("viewer", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_concept"))
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 403
