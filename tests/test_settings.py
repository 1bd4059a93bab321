"""Settings from the environment: production refuses to start half-configured, and
`check --deploy` is clean with the documented production environment."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PRODUCTION_ENV = ROOT / "deploy" / "production.env"


def documented_production_environment() -> dict[str, str]:
    """deploy/production.env, with the secret key it leaves to be generated."""
    lines = PRODUCTION_ENV.read_text(encoding="utf-8").splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    env = dict(pairs)
    assert env["SECRET_KEY"] == "", "deploy/production.env must not hold a secret"
    return {**env, "SECRET_KEY": secrets.token_urlsafe(50)}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """A Python process in the project with only this environment (and PATH)."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings"}
        | env,
        capture_output=True,
        text=True,
    )


def settings_in(env: dict[str, str], *names: str) -> dict:
    """The values of these settings in a process started with this environment."""
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = run(env, "-c", script)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_is_clean_with_the_documented_production_environment():
    env = documented_production_environment()
    result = run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set when DEBUG is off."),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set when DEBUG is off"),
    ],
)
def test_production_refuses_to_start_without(missing, message):
    env = documented_production_environment()
    unset = {name: value for name, value in env.items() if name != missing}
    for given in (unset, {**env, missing: ""}):
        result = run(given, "-c", "import django; django.setup()")
        assert result.returncode != 0
        assert message in result.stderr


def test_development_needs_neither():
    values = settings_in({}, "DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT")
    assert values["DEBUG"] is True
    assert "localhost" in values["ALLOWED_HOSTS"]
    assert values["SECURE_SSL_REDIRECT"] is False


def test_https_redirect_and_hsts_follow_their_variables():
    env = documented_production_environment()
    names = (
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
    )
    assert settings_in(env, *names) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
    # Without a TLS proxy in front (or before HSTS is wanted): off.
    unset = {k: v for k, v in env.items() if not k.startswith("SECURE_")}
    assert settings_in(unset, *names[:4]) == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
    }


def test_request_rates_and_sign_in_limits_follow_their_variables():
    env = {
        "THROTTLE_ANON": "10/min",
        "THROTTLE_TEXT_ANON": "",
        "THROTTLE_IMPORT": "2/hour",
        "NUM_PROXIES": "1",
        "SIGNIN_MAX_FAILURES": "3",
        "SIGNIN_WINDOW_SECONDS": "60",
    }
    values = settings_in(
        env, "REST_FRAMEWORK", "SIGNIN_MAX_FAILURES", "SIGNIN_WINDOW_SECONDS"
    )
    rates = values["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"]
    assert rates["api_anon"] == "10/min"
    assert rates["text_anon"] is None  # empty: not limited
    assert rates["import_user"] == "2/hour"
    assert values["REST_FRAMEWORK"]["NUM_PROXIES"] == 1
    assert (values["SIGNIN_MAX_FAILURES"], values["SIGNIN_WINDOW_SECONDS"]) == (3, 60)


def test_by_default_annotate_check_and_import_have_lower_rates_than_reads():
    per_minute = {"min": 1, "hour": 1 / 60, "day": 1 / 1440}
    rates = settings_in({}, "REST_FRAMEWORK")["REST_FRAMEWORK"][
        "DEFAULT_THROTTLE_RATES"
    ]

    def requests_per_minute(scope):
        count, period = rates[scope].split("/")
        return int(count) * per_minute[period]

    for who in ("anon", "user"):
        reads = requests_per_minute(f"api_{who}")
        assert requests_per_minute(f"text_{who}") < reads
        assert requests_per_minute(f"import_{who}") < reads
    assert requests_per_minute("api_anon") < requests_per_minute("api_user")


def test_sqlite_is_configured_for_concurrent_use_and_postgresql_left_alone():
    sqlite = settings_in({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "DATABASES")
    options = sqlite["DATABASES"]["default"]["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 30
    postgres = settings_in(
        {"DATABASE_URL": "postgres://u:p@127.0.0.1:5432/g"}, "DATABASES"
    )
    assert "transaction_mode" not in postgres["DATABASES"]["default"].get("OPTIONS", {})
