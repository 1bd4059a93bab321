"""What the exchange-format tests share: the checker, exports as bytes, the database."""

import subprocess
import sys
from pathlib import Path

from lxml import etree
from reversion.models import Revision, Version

from glossary import exporter
from glossary.models import (
    Concept,
    ConceptRelation,
    Definition,
    GlossaryVersion,
    Quote,
    SourceDocument,
    Term,
)

CHECKER = Path(__file__).parent / "schemas" / "tools" / "check_formats.py"
SAMPLES = Path(__file__).parent / "samples"
SHARED_SAMPLES = Path(__file__).parent / "schemas" / "formats" / "samples"


def check(kind: str, data: bytes, tmp_path: Path) -> str:
    """The shared checker's verdict on the data: "valid", or one error per line."""
    path = tmp_path / f"checked.{kind}"
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, str(CHECKER), kind, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return (result.stdout + result.stderr).strip()


def export(file_format: str, concepts=None, **options) -> bytes:
    return b"".join(exporter.export_glossary(file_format, concepts, **options).chunks)


def canonical(data: bytes) -> bytes:
    """The XML in canonical form (C14N), for comparing documents."""
    return etree.tostring(etree.fromstring(data), method="c14n")


def database_state() -> dict[str, list[tuple]]:
    """Every row a write could touch, its history included, to compare before and
    after."""
    return {
        model.__name__: list(model.objects.order_by("pk").values_list())
        for model in (
            Concept,
            Term,
            Definition,
            Quote,
            Quote.terms.through,
            ConceptRelation,
            SourceDocument,
            GlossaryVersion,
            Revision,
            Version,
        )
    }
