"""Two serving processes on one PostgreSQL database behave as one service.

The test builds its own database (so committed data never leaks into the other tests),
starts two gunicorn servers on it, edits a term through the admin of the first and reads
it back through the API of the second, on the very next request.
"""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="several processes share PostgreSQL"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def shared_database():
    """A fresh database, migrated and seeded, dropped afterwards."""
    import psycopg

    admin_url = os.environ["DATABASE_URL"]
    name = f"procs_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false", "SECRET_KEY": "test"}
    env["ALLOWED_HOSTS"] = "127.0.0.1"
    env["SECURE_COOKIES"] = "false"
    try:
        manage(env, "migrate", "--no-input")
        manage(env, "load_seed")
        manage(env, "collectstatic", "--no-input")
        env_user = {**env, "DJANGO_SUPERUSER_PASSWORD": "a-long-test-password-1"}
        manage(
            env_user,
            "createsuperuser",
            "--no-input",
            "--username",
            "editor",
            "--email",
            "editor@example.org",
        )
        yield env, url
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def two_servers(shared_database):
    env, url = shared_database
    servers = []
    try:
        for _ in range(2):
            port = free_port()
            server_env = {
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "GUNICORN_WORKERS": "1",
                "GUNICORN_ACCESSLOG": "",
            }
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py"],
                cwd=ROOT,
                env=server_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            servers.append((process, f"http://127.0.0.1:{port}"))
        for process, base in servers:
            wait_until_serving(process, base)
        yield [base for _, base in servers], url
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=20)


def wait_until_serving(process, base: str) -> None:
    # Readiness polling, not a timing assertion: it only bounds how long we wait.
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"the server at {base} exited with {process.returncode}")
        try:
            urllib.request.urlopen(f"{base}/api/v1/languages/", timeout=2)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server at {base} did not answer")


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def lookup(base: str, query: str) -> list[str]:
    params = urllib.parse.urlencode({"q": query, "from": "en"})
    return [
        r["concept"] for r in get_json(f"{base}/api/v1/lookup/?{params}")["results"]
    ]


def annotate(base: str, text: str) -> list[tuple[str, str]]:
    request = urllib.request.Request(
        f"{base}/api/v1/annotate/",
        data=json.dumps({"text": text, "language": "en", "targets": ["ru"]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return [(r["concept"], r["text"]) for r in json.load(response)["results"]]


class AdminSession:
    """A signed-in admin session over real HTTP, with its CSRF token."""

    def __init__(self, base: str, username: str, password: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )
        self.post(
            "/admin/login/",
            {"username": username, "password": password, "next": "/admin/"},
            form_path="/admin/login/",
        )

    def csrf(self, path: str) -> str:
        html = self.opener.open(self.base + path, timeout=10).read().decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def post(self, path: str, data: dict, *, form_path: str) -> str:
        body = urllib.parse.urlencode(
            {**data, "csrfmiddlewaretoken": self.csrf(form_path)}
        ).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + form_path}
        )
        return self.opener.open(request, timeout=10).geturl()


def test_a_term_edited_through_one_process_is_found_by_the_other(two_servers):
    import psycopg

    (first, second), url = two_servers
    assert lookup(second, "Khorgos") == ["khorgos"]  # warms the second's caches
    assert lookup(second, "Qorgos Border Town") == []
    sentence = "Trucks queue at Qorgos Border Town every morning."
    # The second process builds its recognition automaton now, before the edit.
    assert annotate(second, sentence) == []

    with psycopg.connect(url) as conn:
        term_id, concept_id = conn.execute(
            "SELECT t.id, t.concept_id FROM glossary_term t JOIN glossary_concept c "
            "ON c.id = t.concept_id WHERE c.slug = 'khorgos' AND t.language = 'en' "
            "AND t.status = 'admitted' ORDER BY t.id LIMIT 1"
        ).fetchone()
    session = AdminSession(first, "editor", "a-long-test-password-1")
    form = f"/admin/glossary/term/{term_id}/change/"
    landed = session.post(
        form,
        {
            "concept": concept_id,
            "language": "en",
            "text": "Qorgos Border Town",
            "term_type": "variant",
            "status": "admitted",
        },
        form_path=form,
    )
    assert landed.endswith("/admin/glossary/term/")

    assert lookup(second, "Qorgos Border Town") == ["khorgos"]
    assert annotate(second, sentence) == [("khorgos", "Qorgos Border Town")]
