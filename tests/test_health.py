"""/healthz: what a load balancer polls."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

ROOT = Path(settings.BASE_DIR)

pytestmark = pytest.mark.django_db


def test_a_migrated_reachable_database_is_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "migrations": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_a_load_balancer_may_ask_with_head(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_a_migration_not_applied_is_a_503_naming_it(client):
    latest = (
        MigrationRecorder.Migration.objects.filter(app="glossary")
        .order_by("-id")
        .first()
    )
    latest.delete()  # undone with the test's transaction
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "database": "ok",
        "migrations": f"not applied: glossary.{latest.name}",
    }


def test_it_needs_no_sign_in_and_is_never_throttled(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}),
            "anon": "1/day",
        },
    }
    assert [client.get("/healthz").status_code for _ in range(5)] == [200] * 5


def test_it_is_answered_over_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/languages/").status_code == 301


@pytest.mark.skipif(connection.vendor != "sqlite", reason="one subprocess is enough")
def test_an_unreachable_database_is_a_503(tmp_path):
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/healthz')\n"
        "print(json.dumps([r.status_code, r.json()]))\n"
    )
    missing = tmp_path / "no-such-directory" / "db.sqlite3"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{missing}",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body == {"database": "unreachable", "migrations": "unknown"}
