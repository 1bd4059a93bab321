"""Hostile input, tried as an attacker would: every parameter of every endpoint.

Whatever a client sends, the answer is never a 5xx: a value the API cannot use is a 400
in the one error shape, naming the parameter it concerns.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

DEEP = 100_000

# Values a query string or a form field can carry.
HOSTILE_STRINGS = {
    "percent-s": "%s",
    "percent-named": "%(value)s",
    "lone-percent": "%",
    "percent-escape": "%25s",
    "nul": "\x00",
    "nul-inside": "en\x00ru",
    "huge-number": "9" * 5000,
    "negative": "-1",
    "float": "1e308",
    "nan": "NaN",
    "long": "x" * 100_000,
    "commas": "," * 10_000,
    "many-items": "a," * 70_000,
    "long-tag": "zh-" + "Hans-" * 2000,
    "control": "\x1b[31m\r\n",
    "astral": "𝕏😀",
    "replacement": "\ufffd",
    "quote": "'\"<script>",
    "spaces": "   ",
}

# Every GET endpoint with a valid baseline and the parameters it reads.
GET_ENDPOINTS = {
    "concepts": (
        "/api/v1/concepts/",
        {},
        ["q", "lang", "missing", "kind", "status", "domain", "page", "page_size"],
    ),
    "quotes": ("/api/v1/quotes/", {}, ["document", "concept", "lang", "page"]),
    "documents": ("/api/v1/documents/", {}, ["page", "page_size"]),
    "terms": ("/api/v1/terms/", {"q": "khorgos"}, ["q", "lang", "match", "page"]),
    "lookup": ("/api/v1/lookup/", {"q": "khorgos"}, ["q", "from", "to", "match"]),
    "export": (
        "/api/v1/export/csv/",
        {"concept": "khorgos"},
        [
            "concept",
            "lang",
            "kind",
            "domain",
            "status",
            "q",
            "missing",
            "include",
            "srclang",
            "source",
            "target",
        ],
    ),
    "export-tmx": ("/api/v1/export/tmx/", {"concept": "khorgos"}, ["srclang"]),
    "languages": ("/api/v1/languages/", {}, ["lang"]),
}

GET_CASES = [
    pytest.param(path, baseline, name, value, id=f"{endpoint}-{name}-{label}")
    for endpoint, (path, baseline, names) in GET_ENDPOINTS.items()
    for name in names
    for label, value in HOSTILE_STRINGS.items()
]


def assert_error_shape(response, field):
    body = response.json()
    assert set(body) == {"error", "field", "code"}, body
    assert body["error"]
    if field is not None:
        assert body["field"] == field, body


@pytest.fixture
def superuser(client):
    """A signed-in superuser, with no password to hash."""
    user = get_user_model().objects.create(
        username="test-hostile-admin", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


@pytest.fixture
def staff(api):
    """An API client signed in as a user allowed to import."""
    user = get_user_model().objects.create(
        username="test-hostile-staff", is_staff=True, is_superuser=True
    )
    api.force_authenticate(user)
    return api


@pytest.mark.parametrize(("path", "baseline", "name", "value"), GET_CASES)
def test_no_query_parameter_value_is_a_server_error(api, path, baseline, name, value):
    response = api.get(path, {**baseline, name: value})
    # 404: export's concept= names slugs no concept has.
    assert response.status_code in (200, 400, 404), response.content[:300]
    if response.status_code != 200:
        assert_error_shape(response, name)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/concepts/", "lang"),
        ("/api/v1/concepts/", "missing"),
        ("/api/v1/quotes/", "lang"),
        ("/api/v1/lookup/?q=khorgos", "from"),
        ("/api/v1/terms/?q=khorgos", "lang"),
    ],
)
def test_a_percent_sign_in_a_language_is_an_unknown_language(api, path, name):
    sep = "&" if "?" in path else "?"
    response = api.get(f"{path}{sep}{name}=%25s")
    assert response.status_code == 400
    assert_error_shape(response, name)
    assert "Unknown language '%s'" in response.json()["error"]


def test_an_unknown_language_is_echoed_shortened_not_whole(api):
    response = api.get("/api/v1/concepts/", {"lang": "q" * 100_000})
    assert response.status_code == 400
    assert len(response.json()["error"]) < 400


def test_a_repeated_parameter_is_not_a_server_error(api):
    response = api.get("/api/v1/concepts/?lang=en&lang=%25s&missing=ru&missing=%00")
    assert response.status_code == 400
    assert response.json()["field"] in ("lang", "missing")


@pytest.mark.parametrize(
    "url",
    [
        "/admin/glossary/concept/?status=%00",
        "/admin/glossary/concept/?q=%00",
        "/admin/glossary/term/?language=en%00",
    ],
)
def test_a_nul_in_an_admin_list_filter_is_a_400_naming_it(superuser, url):
    response = superuser.get(url)
    assert response.status_code == 400
    assert response.json()["field"] == url.split("?")[1].split("=")[0]


@pytest.mark.parametrize(
    "path",
    [
        "/admin/glossary/concept/%00/change/",
        "/api/v1/concepts/%00/",
        "/api/v1/concepts/%25s/",
        "/api/v1/concepts/%00/history/",
        "/api/v1/documents/%00/",
        "/api/v1/quotes/%00/",
        "/api/v1/quotes/99999999999999999999999999/",
        "/api/v1/export/%00/",
        "/api/v1/export/%25s/",
        f"/api/v1/concepts/{'x' * 10_000}/",
    ],
)
def test_no_hostile_path_is_a_server_error(superuser, path):
    response = superuser.get(path)
    assert response.status_code in (302, 400, 404), response.content[:300]


# JSON endpoints: a valid body, and each field in turn given a hostile JSON value.
JSON_ENDPOINTS = {
    "annotate": (
        "/api/v1/annotate/",
        {"text": "Khorgos and the SCO.", "language": "en", "targets": ["ru"]},
    ),
    "check": (
        "/api/v1/check/",
        {
            "source_text": "Khorgos",
            "target_text": "Хоргос",
            "source_language": "en",
            "target_language": "ru",
        },
    ),
}

# Raw JSON text, so that what json.dumps cannot write (lone surrogates, deep nesting,
# huge literals) is sent as an attacker would.
HOSTILE_JSON = {
    **{label: json.dumps(value) for label, value in HOSTILE_STRINGS.items()},
    "null": "null",
    "true": "true",
    "zero": "0",
    "big-int": "9" * 4000,
    "huge-int": "9" * 100_000,
    "big-float": "1e999",
    "nan-literal": "NaN",
    "list": "[]",
    "object": "{}",
    "list-of-numbers": "[1, 2.5, null]",
    "list-of-hostile": json.dumps(["%s", "\x00", "en"]),
    "list-of-lists": '[["ru"]]',
    "lone-high-surrogate": '"\\ud800"',
    "lone-low-surrogate": '"x\\udfff"',
    "surrogate-list": '["\\ud800"]',
    "deep-list": "[" * DEEP + "]" * DEEP,
    "deep-object": '{"a":' * DEEP + "1" + "}" * DEEP,
    "deep-unclosed": "[" * DEEP,
    "moderately-deep": "[" * 500 + "]" * 500,
}

JSON_CASES = [
    pytest.param(path, baseline, name, raw, id=f"{endpoint}-{name}-{label}")
    for endpoint, (path, baseline) in JSON_ENDPOINTS.items()
    for name in baseline
    for label, raw in HOSTILE_JSON.items()
]


def with_raw_value(baseline: dict, name: str, raw: str) -> str:
    """The baseline as JSON text with one field's value replaced by raw JSON text."""
    placeholder = "\u0001placeholder\u0001"
    text = json.dumps({**baseline, name: placeholder})
    return text.replace(json.dumps(placeholder), raw)


@pytest.mark.parametrize(("path", "baseline", "name", "raw"), JSON_CASES)
def test_no_json_field_value_is_a_server_error(api, path, baseline, name, raw):
    body = with_raw_value(baseline, name, raw)
    response = api.post(path, body, content_type="application/json")
    assert response.status_code in (200, 400), response.content[:300]
    if response.status_code == 400:
        assert_error_shape(response, name)


@pytest.mark.parametrize("path", ["/api/v1/annotate/", "/api/v1/check/"])
@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("[" * DEEP + "]" * DEEP, id="deep-list"),
        pytest.param('{"a":' * DEEP + "1" + "}" * DEEP, id="deep-object"),
        pytest.param("[" * DEEP, id="deep-unclosed"),
        pytest.param("{" * DEEP, id="deep-unclosed-object"),
        pytest.param("[]", id="list"),
        pytest.param('"text"', id="string"),
        pytest.param("1", id="number"),
        pytest.param("null", id="null"),
        pytest.param("", id="empty"),
        pytest.param("{", id="truncated"),
        pytest.param('{"text": "\\ud800"', id="truncated-surrogate"),
        pytest.param("9" * 100_000, id="huge-number"),
        pytest.param("\x00", id="nul"),
        pytest.param('{"text": "a", "text": [[[[]]]]}', id="duplicate-keys"),
    ],
)
def test_no_json_body_is_a_server_error(api, path, raw):
    response = api.post(path, raw, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert_error_shape(response, None)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        pytest.param("[" + "1," * 200_000 + "1]", "too_large", id="many-numbers"),
        pytest.param("[" + '"",' * 200_000 + '""]', "too_large", id="many-strings"),
        pytest.param("[" + "[]," * 200_000 + "[]]", "too_large", id="many-lists"),
        pytest.param("[" * 21 + "]" * 21, "too_deep", id="just-too-deep"),
    ],
)
def test_a_body_past_the_parsers_bounds_is_a_400(api, raw, code):
    response = api.post("/api/v1/annotate/", raw, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == code


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"text": "Khorgos", "language": NaN}', "language"),
        ('{"text": "Khorgos", "targets": [%s]}' % ("9" * 5000), "targets"),
        ('{"text": "Khorgos", "language": en}', "language"),
        ('{"text": "a \\"[[[[[[[[[[[[[[[[[[[[[[[[", "language": [[[[]]]]}', "language"),
    ],
)
def test_a_body_json_cannot_read_is_a_400_naming_the_field(api, raw, field):
    response = api.post("/api/v1/annotate/", raw, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_a_body_that_is_not_utf8_is_a_400(api):
    response = api.post(
        "/api/v1/annotate/", b'{"text": "\xff\xfe"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert_error_shape(response, None)


@pytest.mark.parametrize("path", ["/api/v1/annotate/", "/api/v1/check/"])
def test_json_nested_100000_levels_deep_is_a_400_naming_the_field(api, path):
    body = '{"text": ' + "[" * DEEP + "]" * DEEP + "}"
    response = api.post(path, body, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert (body["field"], body["code"]) == ("text", "too_deep")
    assert "nested" in body["error"]


def test_json_nested_a_few_levels_is_still_read(api):
    # targets may be a list: two levels, well within the bound.
    response = api.post(
        "/api/v1/annotate/",
        {"text": "Khorgos", "language": "en", "targets": ["ru"]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["translations"]["ru"]["text"] == "Хоргос"


@pytest.mark.parametrize("path", ["/api/v1/annotate/", "/api/v1/check/"])
def test_a_lone_surrogate_is_a_400_naming_the_field(api, path):
    field = "text" if "annotate" in path else "source_text"
    baseline = JSON_ENDPOINTS[path.strip("/").split("/")[-1]][1]
    body = with_raw_value(baseline, field, '"Khorgos \\ud800"')
    response = api.post(path, body, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field
    assert "Surrogate characters are not allowed" in body["error"]


def test_a_surrogate_pair_written_as_escapes_is_read_as_its_character(api):
    body = '{"text": "Khorgos \\ud83d\\ude00", "language": "en"}'
    response = api.post("/api/v1/annotate/", body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["results"][0]["text"] == "Khorgos"


@pytest.mark.parametrize("name", ["kind", "dry_run"])
@pytest.mark.parametrize(
    "value",
    [pytest.param(v, id=k) for k, v in HOSTILE_STRINGS.items() if k != "long"],
)
def test_no_import_field_value_is_a_server_error(staff, name, value):
    upload = SimpleUploadedFile("terms.csv", b"en\nTest Hostile Import\n")
    fields = {"file": upload, "dry_run": "true", name: value}
    response = staff.post("/api/v1/import/", fields, format="multipart")
    assert response.status_code in (200, 400), response.content[:300]
    if response.status_code == 400:
        assert_error_shape(response, name)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("\x00.csv", id="nul"),
        pytest.param("%s.csv", id="percent"),
        pytest.param("x" * 5000 + ".csv", id="long"),
        pytest.param("terms.%s", id="percent-extension"),
    ],
)
def test_no_import_file_name_is_a_server_error(staff, name):
    upload = SimpleUploadedFile(name, b"en\nTest Hostile Import\n")
    response = staff.post(
        "/api/v1/import/", {"file": upload, "dry_run": "true"}, format="multipart"
    )
    assert response.status_code in (200, 400), response.content[:300]
    if response.status_code == 400:
        assert_error_shape(response, "file")


# Header values arrive decoded as Latin-1: "²" is a digit to str.isdigit, not to int.
@pytest.mark.parametrize("length", ["abc", "-1", "9" * 400, "1e9", " 12", "0x10", "²"])
def test_no_content_length_header_is_a_server_error(staff, length):
    response = staff.generic(
        "POST",
        "/api/v1/import/",
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=length,
    )
    assert response.status_code in (400, 413), response.content[:300]
