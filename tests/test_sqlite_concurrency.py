"""SQLite in concurrent use: lookups and an admin edit while another process imports.

A file database, a gunicorn server on it (two worker processes) and a process importing
20,000 concepts. Lookups are sent to the server for as long as the import runs; once the
import has begun writing (its progress bar says so, inside its one transaction), another
process saves a concept through the write service, as the admin does. Not one lookup or
save may fail with SQLite's "database is locked": readers read beside the writer (WAL),
and the save waits for the import's transaction to end (busy timeout, IMMEDIATE).

How long the save waits is how long the import writes, which depends on the machine; the
test gives SQLite's busy timeout a bound no run reaches, so that it cannot.
"""

import csv
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
CONCEPTS = 20_000

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's own locking"
)

SETUP = """
import django; django.setup()
from django.contrib.auth import get_user_model
from glossary import editing
from glossary.entries import ConceptEntry, TermEntry
user = get_user_model().objects.create_superuser("test-editor", "", "unused")
entry = ConceptEntry("test-locked", kind="place", terms=[TermEntry("en", "Lockgate")])
editing.save_concept(entry, origin=editing.Origin("admin", user))
"""

# Waits for the go file, then saves the concept once and prints the outcome as JSON.
EDITOR = """
import json, sys, time; from pathlib import Path
import django; django.setup()
from django.contrib.auth import get_user_model
from glossary import editing
from glossary.entries import ConceptEntry, TermEntry
user = get_user_model().objects.get(username="test-editor")
print("ready", flush=True)
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.05)
entry = ConceptEntry(
    "test-locked", kind="place", note="Edited during an import.",
    terms=[TermEntry("en", "Lockgate")],
)
try:
    editing.save_concept(entry, origin=editing.Origin("admin", user))
    print(json.dumps({"error": None}), flush=True)
except Exception as error:
    print(json.dumps({"error": f"{type(error).__name__}: {error}"}), flush=True)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_terms(path: Path) -> None:
    """A CSV of CONCEPTS concepts, over 1 MB so that the import shows its progress."""
    with path.open("w", newline="", encoding="utf-8") as file:
        rows = csv.writer(file)
        rows.writerow(["id", "en", "ru"])
        for n in range(CONCEPTS):
            rows.writerow(
                [f"test-import-gate-{n}", f"Test Import Gate {n:x}", f"Ворота {n:x}"]
            )


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def environment(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'glossary.sqlite3'}",
        "DEBUG": "false",
        "SECRET_KEY": "test-sqlite-concurrency",
        "ALLOWED_HOSTS": "127.0.0.1",
        "THROTTLE_ANON": "",
        "GUNICORN_ACCESSLOG": "",
        "LOG_LEVEL": "WARNING",
        "SQLITE_TIMEOUT": "900",
    }
    python = [sys.executable]
    subprocess.run(
        [*python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run([*python, "-c", SETUP], cwd=ROOT, env=env, check=True)
    return env


@pytest.fixture
def server(environment):
    port = free_port()
    env = {**environment, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if get(f"{base}/healthz") == 200:
                break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=30)


def test_lookups_and_an_admin_save_never_fail_while_an_import_runs(
    environment, server, tmp_path
):
    terms = tmp_path / "terms.csv"
    write_terms(terms)
    go = tmp_path / "go"
    editor = subprocess.Popen(
        [sys.executable, "-c", EDITOR, str(go)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert editor.stdout.readline().strip() == "ready"
    importer = subprocess.Popen(
        [sys.executable, "manage.py", "import_glossary", str(terms)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    progress = []
    reader = threading.Thread(
        target=lambda: progress.extend(iter(lambda: importer.stderr.read(1), ""))
    )
    reader.start()
    statuses: dict[int, int] = {}
    queries = ["Lockgate", "Test Import Gate 0", "Ворота 1f"]
    while importer.poll() is None:
        if not go.exists() and "writing" in "".join(progress):
            go.touch()
        for query in queries:
            url = f"{server}/api/v1/lookup/?" + urllib.parse.urlencode({"q": query})
            status = get(url)
            statuses[status] = statuses.get(status, 0) + 1
        time.sleep(0.1)  # pace, leaving the import a share of the machine
    reader.join()
    output = importer.stdout.read()
    go.touch()  # so that the editor ends even when the import never wrote
    edit = json.loads(editor.communicate(timeout=900)[0].strip().splitlines()[-1])

    assert importer.returncode == 0, "".join(progress)[-2000:]
    assert f"{CONCEPTS} created" in output
    assert "writing" in "".join(progress)
    assert set(statuses) == {200}, statuses
    assert edit == {"error": None}
    database = environment["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        imported = db.execute(
            "SELECT count(*) FROM glossary_concept WHERE slug LIKE 'test-import-gate-%'"
        ).fetchone()
        note = db.execute(
            "SELECT note FROM glossary_concept WHERE slug = 'test-locked'"
        ).fetchone()
    assert imported == (CONCEPTS,)
    assert note == ("Edited during an import.",)
