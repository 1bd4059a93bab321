import pytest
from django.core.management import CommandError, call_command

from glossary.management.commands import import_glossary
from glossary.models import Concept
from tests.formats.helpers import check, database_state

pytestmark = pytest.mark.django_db


def test_export_glossary_writes_a_valid_file_and_a_one_line_summary(tmp_path, capsys):
    path = tmp_path / "places.tbx"
    call_command(
        "export_glossary", "--format", "tbx", "--kind", "place", "--output", path
    )
    places = Concept.objects.filter(kind="place", terms__isnull=False).distinct()
    assert capsys.readouterr().out.strip() == (
        f"Exported {places.count()} concepts to {path}"
    )
    assert check("tbx", path.read_bytes(), tmp_path) == "valid"


def test_export_glossary_writes_the_pair_form(tmp_path):
    path = tmp_path / "en-ru.tsv"
    call_command(
        "export_glossary",
        "--format=tsv",
        "--source=en",
        "--target=ru",
        "--concept=khorgos",
        f"--output={path}",
    )
    assert path.read_bytes().decode() == "en\tru\r\nKhorgos\tХоргос\r\n"


def test_export_glossary_turns_a_glossary_error_into_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Unknown language 'xx'"):
        call_command("export_glossary", "--format=tmx", "--srclang=xx")


def test_import_glossary_dry_run_prints_the_summary_and_writes_nothing(
    tmp_path, capsys
):
    path = tmp_path / "terms.csv"
    path.write_text("en,ru\nTest Command,Тестовая команда\n", encoding="utf-8")
    before = database_state()
    call_command("import_glossary", str(path), "--dry-run")
    assert capsys.readouterr().out.strip() == (
        "Dry run of terms.csv, nothing written: 1 created, 0 updated, 0 unchanged, "
        "0 conflicts, 1 warnings"
    )
    assert database_state() == before


def test_import_glossary_imports_with_the_kind_given(tmp_path, capsys):
    path = tmp_path / "terms.csv"
    path.write_text("en\nTest Command Event\n", encoding="utf-8")
    call_command("import_glossary", str(path), "--kind", "event")
    assert capsys.readouterr().out.startswith("Imported terms.csv: 1 created")
    assert Concept.objects.get(slug="test-command-event").kind == "event"


def test_import_glossary_turns_conflicts_into_a_command_error(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text("id,en\nbad slug,Test\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad slug \(line 2\): id 'bad slug'"):
        call_command("import_glossary", str(path))


def test_import_glossary_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_glossary", str(tmp_path / "missing.tbx"))


def test_import_glossary_shows_progress_on_large_files(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(import_glossary, "PROGRESS_FROM_BYTES", 10)
    path = tmp_path / "terms.csv"
    path.write_text("en\nTest Progress\n", encoding="utf-8")
    call_command("import_glossary", str(path))
    progress = capsys.readouterr().err
    assert "reading: 100%" in progress and "writing: 100%" in progress
