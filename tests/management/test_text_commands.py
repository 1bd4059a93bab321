import io

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_annotate_prints_each_term_with_offsets_and_renderings(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text("We met in Khorgos on the “One Belt, One Road”.", encoding="utf-8")
    out = run("annotate", str(path), "--lang", "en", "--to", "ru,zh-Hans")
    lines = out.splitlines()
    assert "10–17" in lines[0] and "khorgos" in lines[0]
    assert "ru: Хоргос · zh-Hans: 霍尔果斯" in lines[0]
    assert "DEPRECATED, use “Belt and Road Initiative”" in lines[1]
    assert lines[-1] == "Found 2 terms of 2 concepts."


def test_annotate_keeps_the_files_line_ends_so_offsets_hold(tmp_path):
    path = tmp_path / "text.txt"
    path.write_bytes(b"Line one.\r\nKhorgos")
    assert "11–18" in run("annotate", str(path), "--lang", "en")


def test_annotate_refuses_an_unknown_language(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text("Khorgos", encoding="utf-8")
    with pytest.raises(CommandError, match="Unknown language 'fr'"):
        run("annotate", str(path), "--lang", "fr")


def test_annotate_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("annotate", str(tmp_path / "none.txt"), "--lang", "en")


def test_checkterms_reports_findings_and_exits_non_zero(tmp_path):
    source, target = tmp_path / "en.txt", tmp_path / "ru.txt"
    source.write_text("Trade grows in Khorgos.", encoding="utf-8")
    target.write_text("Торговля растёт в Коргасе.", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 terminology finding") as error:
        call_command(
            "checkterms",
            "--source-lang",
            "en",
            "--target-lang",
            "ru",
            str(source),
            str(target),
            stdout=out,
        )
    assert error.value.returncode == 1
    report = out.getvalue()
    assert "MISSING" in report and "khorgos (source 15–22)" in report
    assert "“Khorgos” is rendered “Хоргос”" in report


def test_checkterms_passes_a_good_translation(tmp_path):
    source, target = tmp_path / "en.txt", tmp_path / "ru.txt"
    source.write_text("Trade grows in Khorgos.", encoding="utf-8")
    target.write_text("Торговля растёт в Хоргосе.", encoding="utf-8")
    out = run(
        "checkterms",
        "--source-lang",
        "en",
        "--target-lang",
        "ru",
        str(source),
        str(target),
    )
    assert "No terminology findings." in out
