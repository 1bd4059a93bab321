import io
import re

import pytest
from django.utils import timezone
from translate.storage import tmx as ttk_tmx

from glossary.models import Concept
from tests.formats.helpers import check

pytestmark = pytest.mark.django_db


def download(api, file_format: str, params=None, **headers):
    response = api.get(f"/api/v1/export/{file_format}/", params or {}, **headers)
    return response, b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("file_format", "kind", "content_type"),
    [
        ("tbx", "tbx", "application/x-tbx+xml"),
        ("tbx2", None, "application/x-tbx+xml"),
        ("tmx", "tmx", "application/x-tmx+xml"),
        ("csv", None, "text/csv; charset=utf-8"),
        ("tsv", None, "text/tab-separated-values; charset=utf-8"),
    ],
)
def test_each_format_downloads_as_a_dated_streamed_attachment(
    api, file_format, kind, content_type, tmp_path
):
    before = timezone.localdate()
    response, data = download(api, file_format)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == content_type
    disposition = re.fullmatch(
        r'attachment; filename="glossary-(?:v2-)?(\d{4}-\d{2}-\d{2})\.(\w+)"',
        response["Content-Disposition"],
    )
    assert disposition[1] in {before.isoformat(), timezone.localdate().isoformat()}
    assert disposition[2] == {"tbx2": "tbx"}.get(file_format, file_format)
    if kind:
        assert check(kind, data, tmp_path) == "valid"
    assert "Khorgos" in data.decode("utf-8")


def test_the_export_takes_the_concept_list_filters(api):
    _, data = download(api, "tmx", {"kind": "place", "status": "approved"})
    units = {unit.getid() for unit in ttk_tmx.tmxfile(io.BytesIO(data)).units}
    places = Concept.objects.filter(kind="place", status="approved")
    assert "khorgos" in units and units <= set(places.values_list("slug", flat=True))


def test_the_export_takes_a_list_of_slugs(api):
    _, data = download(api, "csv", {"concept": "khorgos,astana", "include": "id"})
    slugs = [line.split(",")[0] for line in data.decode().splitlines()[1:]]
    assert sorted(slugs) == ["astana", "khorgos"]


def test_the_pair_form_and_tmx_options_come_from_the_query(api):
    _, pair = download(api, "csv", {"source": "en-US", "target": "zh-CN"})
    assert pair.decode().splitlines()[0] == "en,zh-Hans"
    _, memory = download(
        api, "tmx", {"srclang": "ru", "include": "admitted", "concept": "khorgos"}
    )
    assert b'srclang="ru"' in memory and b'tuid="khorgos/2"' in memory


def test_a_browser_asking_for_html_still_gets_the_file(api, tmp_path):
    response, data = download(
        api, "tbx", {"concept": "khorgos"}, HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 200
    assert check("tbx", data, tmp_path) == "valid"


def test_an_unknown_format_is_a_json_404(api):
    response = api.get("/api/v1/export/pdf/", HTTP_ACCEPT="text/html")
    assert response.status_code == 404
    assert response.json() == {
        "error": "Unknown format 'pdf'; use one of tbx, tbx2, tmx, csv, tsv.",
        "field": "format",
        "code": "unknown_format",
    }


@pytest.mark.parametrize(
    ("file_format", "params", "field"),
    [
        ("tbx", {"lang": "xx"}, "lang"),
        ("tbx", {"kind": "planet"}, "kind"),
        ("tbx", {"include": "admitted"}, "include"),
        ("tbx", {"source": "en", "target": "ru"}, "source"),
        ("csv", {"source": "en"}, "target"),
        ("tmx", {"srclang": "xx"}, "srclang"),
        ("tbx", {"concept": "no-such-concept"}, "concept"),
    ],
)
def test_bad_options_are_json_errors_naming_the_parameter(
    api, file_format, params, field
):
    response = api.get(f"/api/v1/export/{file_format}/", params)
    assert response.status_code == (404 if field == "concept" else 400)
    assert response.json()["field"] == field


def test_export_filters_by_a_term_in_any_script_as_concepts_does(api):
    body = api.get("/api/v1/export/csv/", {"q": "Хоргос", "include": "id"})
    rows = b"".join(body.streaming_content).decode("utf-8").splitlines()
    slugs = sorted(row.split(",")[0] for row in rows[1:])
    listed = api.get("/api/v1/concepts/", {"q": "Хоргос"}).json()["results"]
    assert slugs == sorted(c["slug"] for c in listed)
    assert "khorgos" in slugs


def test_export_filters_concepts_missing_a_language(api, make_concept):
    make_concept("test-no-russian-export", en="Test No Russian")
    body = api.get("/api/v1/export/csv/", {"missing": "ru", "include": "id"})
    rows = b"".join(body.streaming_content).decode("utf-8").splitlines()
    assert [row.split(",")[0] for row in rows[1:]] == ["test-no-russian-export"]
