"""The deployment recipe (deploy/): nginx's configuration is valid, and behind it a
client that sends less body than it announces holds no gunicorn worker."""

import os
import re
import runpy
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx", path=f"{os.environ['PATH']}:/usr/sbin")

needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_conf(prefix: Path, http: str) -> Path:
    """A main configuration for an nginx of the test's own, under `prefix`."""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"pid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'};\n"
        f"events {{}}\nhttp {{\n    access_log off;\n{temp}\n{http}\n}}\n",
        encoding="utf-8",
    )
    return conf


def test_nginx_takes_bodies_as_large_as_the_import_limit():
    proxy = (DEPLOY / "nginx-proxy.conf").read_text(encoding="utf-8")
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", proxy)[1])
    assert megabytes * 1024 * 1024 == settings.GLOSSARY_MAX_UPLOAD_BYTES
    gunicorn_timeout = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))["timeout"]
    read_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", proxy)[1])
    assert read_timeout > gunicorn_timeout


@needs_nginx
def test_the_nginx_site_configuration_is_valid(tmp_path):
    key, certificate = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=glossary.example.org"]
        + ["-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    site = re.sub(r"ssl_certificate (\S+);", f"ssl_certificate {certificate};", site)
    site = re.sub(r"ssl_certificate_key (\S+);", f"ssl_certificate_key {key};", site)
    site = site.replace(
        "/etc/nginx/snippets/glossary-proxy.conf", str(DEPLOY / "nginx-proxy.conf")
    )
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    conf = nginx_conf(tmp_path, f"    include {tmp_path / 'site.conf'};")
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def gunicorn(tmp_path):
    """One sync worker, as a small deployment has: a held worker stalls it all."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "DEBUG": "false",
        "SECRET_KEY": "test-deploy",
        "ALLOWED_HOSTS": "127.0.0.1",
        "THROTTLE_ANON": "",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESSLOG": "",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    wait_for(f"http://127.0.0.1:{port}/api/v1/languages/", process)
    yield port
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def nginx(tmp_path, gunicorn):
    port = free_port()
    conf = nginx_conf(
        tmp_path,
        f"    upstream glossary {{ server 127.0.0.1:{gunicorn}; }}\n"
        f"    server {{\n        listen 127.0.0.1:{port};\n"
        f"        include {DEPLOY / 'nginx-proxy.conf'};\n    }}",
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
        stderr=subprocess.DEVNULL,
    )
    wait_for(f"http://127.0.0.1:{port}/api/v1/languages/", process)
    yield port
    process.terminate()
    process.wait(timeout=30)


def wait_for(url: str, process: subprocess.Popen) -> None:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            assert process.poll() is None, "the server did not start"
            time.sleep(0.2)


def send_short_body(port: int) -> socket.socket:
    """A request announcing 100 kB of body, of which it sends one byte."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        b"POST /api/v1/annotate/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
    )
    return sock


def still_waiting(sock: socket.socket) -> bool:
    """Whether the connection is open with no answer yet."""
    sock.setblocking(False)
    try:
        sock.recv(1)  # an answer, or b"" for a closed connection
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


@needs_nginx
def test_behind_nginx_short_bodies_leave_the_worker_free(nginx):
    stalled = [send_short_body(nginx) for _ in range(6)]
    try:
        url = f"http://127.0.0.1:{nginx}/api/v1/languages/"
        with urllib.request.urlopen(url, timeout=120) as response:
            assert response.status == 200
        # Answered while every short body is still awaited: none reached the worker.
        assert all(still_waiting(sock) for sock in stalled)
    finally:
        for sock in stalled:
            sock.close()


@needs_nginx
def test_nginx_refuses_a_body_over_the_limit_in_the_api_shape(nginx):
    sock = socket.create_connection(("127.0.0.1", nginx))
    with sock:
        sock.sendall(
            b"POST /api/v1/import/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: text/csv\r\nContent-Length: 60000000\r\n\r\n"
        )
        answer = sock.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 413")
    assert '"code": "too_large"' in answer
