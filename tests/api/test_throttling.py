"""Request rates per client and endpoint class, and sign-in attempts per account."""

import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from glossary import signin

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    """rates(api_anon="2/min"): these request rates, and no others."""

    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": rates,
        }

    return set_rates


def annotate(client, **extra):
    body = {"text": "Khorgos", "language": "en"}
    return client.post("/api/v1/annotate/", body, format="json", **extra)


def test_past_its_rate_a_client_gets_429_saying_when_to_retry(api, rates):
    rates(api_anon="2/min")
    statuses = [api.get("/api/v1/languages/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = api.get("/api/v1/lookup/", {"q": "Khorgos"})
    assert response.status_code == 429
    body = response.json()
    assert (body["field"], body["code"]) == (None, "throttled")
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    assert re.fullmatch(
        rf"Too many requests; retry in {wait} seconds?\.", body["error"]
    )


def test_annotate_and_check_have_their_own_lower_rate(api, rates):
    rates(api_anon="100/min", text_anon="1/min")
    assert annotate(api).status_code == 200
    assert annotate(api).status_code == 429
    check = {
        "source_text": "Khorgos",
        "target_text": "Хоргос",
        "source_language": "en",
        "target_language": "ru",
    }
    assert api.post("/api/v1/check/", check, format="json").status_code == 429
    # Reads are another class: still answered.
    assert api.get("/api/v1/lookup/", {"q": "Khorgos"}).status_code == 200


def test_signed_in_users_are_counted_per_account_at_their_own_rate(api, rates):
    rates(api_anon="1/min", api_user="3/min")
    assert [api.get("/api/v1/languages/").status_code for _ in range(2)] == [200, 429]
    for name in ("test-rate-a", "test-rate-b"):
        api.force_authenticate(get_user_model().objects.create(username=name))
        statuses = [api.get("/api/v1/languages/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]


def test_imports_have_their_own_rate(api, rates):
    rates(api_user="100/min", import_user="1/hour")
    user = get_user_model().objects.create(
        username="test-rate-importer", is_staff=True, is_superuser=True
    )
    api.force_authenticate(user)

    def dry_run():
        upload = SimpleUploadedFile("terms.csv", b"en\nTest Rate Import\n")
        fields = {"file": upload, "dry_run": "true"}
        return api.post("/api/v1/import/", fields, format="multipart")

    assert dry_run().status_code == 200
    response = dry_run()
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 60
    assert api.get("/api/v1/languages/").status_code == 200


def test_clients_are_counted_by_their_address(api, rates):
    rates(api_anon="1/min")
    first = {"REMOTE_ADDR": "192.0.2.1"}
    assert api.get("/api/v1/languages/", **first).status_code == 200
    assert api.get("/api/v1/languages/", **first).status_code == 429
    assert api.get("/api/v1/languages/", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_a_forged_forwarded_for_header_does_not_reset_the_count(api, rates):
    rates(api_anon="1/min")
    statuses = [
        api.get(
            "/api/v1/languages/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 429, 429]


def test_behind_a_proxy_the_address_it_forwards_is_counted(api, rates, settings):
    rates(api_anon="1/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    def via_proxy(client_address):
        return api.get(
            "/api/v1/languages/",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.99, {client_address}",
        ).status_code

    assert [via_proxy("192.0.2.1"), via_proxy("192.0.2.1")] == [200, 429]
    assert via_proxy("192.0.2.2") == 200


def test_healthz_is_not_throttled(client, rates):
    rates(api_anon="1/min")
    assert [client.get("/healthz").status_code for _ in range(3)] == [200] * 3


# Sign-in attempts


@pytest.fixture
def signins(settings):
    settings.SIGNIN_MAX_FAILURES = 3
    settings.SIGNIN_WINDOW_SECONDS = 600
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_user_model().objects.create_user(
        "test-signin", password="right-password", is_staff=True, is_superuser=True
    )


def sign_in(client, password, *, username="test-signin", address="192.0.2.10"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def refused(response) -> bool:
    return "Too many failed sign-ins" in response.content.decode()


def test_after_too_many_failed_sign_ins_even_the_right_password_is_refused(
    client, signins
):
    for _ in range(3):
        response = sign_in(client, "wrong")
        assert response.status_code == 200 and not refused(response)
    response = sign_in(client, "right-password")
    assert response.status_code == 200
    assert refused(response)
    assert "Try again in 10 minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_refusal_holds_for_every_sign_in_not_only_the_admin_form(
    client, rf, signins
):
    for _ in range(3):
        sign_in(client, "wrong")
    request = rf.post("/", REMOTE_ADDR="192.0.2.10")
    assert (
        authenticate(request, username="test-signin", password="right-password") is None
    )
    other = rf.post("/", REMOTE_ADDR="192.0.2.11")
    assert authenticate(other, username="test-signin", password="right-password")


def test_another_address_or_account_is_not_refused(client, signins):
    for _ in range(3):
        sign_in(client, "wrong")
    assert not refused(sign_in(client, "wrong", address="192.0.2.11"))
    assert not refused(sign_in(client, "wrong", username="test-other"))
    # The same username in another case is the same account.
    assert refused(sign_in(client, "wrong", username="TEST-SIGNIN"))


def test_a_successful_sign_in_clears_the_failures(client, signins):
    for _ in range(2):
        sign_in(client, "wrong")
    assert sign_in(client, "right-password").status_code == 302
    client.logout()
    for _ in range(2):
        sign_in(client, "wrong")
    assert not refused(sign_in(client, "wrong"))


def test_sign_in_works_again_once_the_window_has_passed(client, signins, monkeypatch):
    now = signin.time.time()
    for _ in range(3):
        sign_in(client, "wrong")
    assert refused(sign_in(client, "right-password"))
    monkeypatch.setattr(signin.time, "time", lambda: now + 601)
    assert sign_in(client, "right-password").status_code == 302
