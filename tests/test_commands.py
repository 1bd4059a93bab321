import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_ensure_admin_creates_an_account_with_a_generated_password(capsys):
    call_command("ensure_admin", "--username", "local-admin")
    out = capsys.readouterr().out
    password = out.split("with password ", 1)[1].split()[0]
    user = get_user_model().objects.get(username="local-admin")
    assert user.is_superuser and user.check_password(password)
    assert len(password) >= 12


def test_ensure_admin_twice_keeps_the_first_password(capsys):
    call_command("ensure_admin", "--username", "local-admin")
    first = get_user_model().objects.get(username="local-admin").password
    call_command("ensure_admin", "--username", "local-admin")
    assert "exists" in capsys.readouterr().out
    assert get_user_model().objects.get(username="local-admin").password == first


def test_two_runs_generate_different_passwords(capsys):
    call_command("ensure_admin", "--username", "one")
    call_command("ensure_admin", "--username", "two")
    out = capsys.readouterr().out
    first, second = (part.split()[0] for part in out.split("with password ")[1:])
    assert first != second


def test_load_seed_prints_a_summary(capsys):
    call_command("load_seed")
    assert "Loaded 2 documents and" in capsys.readouterr().out


def test_load_seed_turns_a_seed_error_into_a_command_error(tmp_path):
    (tmp_path / "documents").mkdir()
    (tmp_path / "concepts").mkdir()
    (tmp_path / "concepts" / "bad.yaml").write_text(
        "- slug: x\n  kind: planet\n  terms: {en: [X]}\n"
    )
    with pytest.raises(CommandError, match="bad.yaml: x: kind 'planet'"):
        call_command("load_seed", "--path", str(tmp_path))
