import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from glossary import entries, exporter
from glossary.entries import CHUNK_SIZE
from glossary.errors import InvalidQuery, NotFound, UnknownFormat, UnknownLanguage
from glossary.models import Concept, Quote, SourceDocument, Term

pytestmark = pytest.mark.django_db


def queries_to_export(file_format: str, concepts) -> int:
    with CaptureQueriesContext(connection) as captured:
        b"".join(exporter.export_glossary(file_format, concepts).chunks)
    return len(captured)


def grow(count: int) -> None:
    """Add concepts that each hold terms, a definition, a quote and a relation."""
    start = Concept.objects.filter(slug__startswith="test-bulk-").count()
    document = SourceDocument.objects.get(slug="tokayev-xinhua-2024")
    quote = Quote.objects.filter(document=document).first()
    khorgos = Concept.objects.get(slug="khorgos")
    for n in range(start, start + count):
        concept = Concept.objects.create(slug=f"test-bulk-{n}", kind="place")
        for language in ("en", "ru", "zh-Hans"):
            term = Term.objects.create(
                concept=concept, language=language, text=f"Test bulk {n} {language}"
            )
            quote.terms.add(term)
        concept.definitions.create(language="en", text=f"Test definition {n}.")
        concept.relations.create(target=khorgos, kind="related")


@pytest.mark.parametrize("file_format", ["tbx", "tmx", "csv"])
def test_the_number_of_queries_does_not_grow_with_the_glossary(
    file_format, django_assert_max_num_queries
):
    grow(3)
    small = Concept.objects.filter(slug__startswith="test-bulk-")
    baseline = queries_to_export(file_format, small)
    grow(40)
    large = Concept.objects.filter(slug__startswith="test-bulk-")
    assert large.count() == 43 < CHUNK_SIZE
    with django_assert_max_num_queries(baseline):
        data = b"".join(exporter.export_glossary(file_format, large).chunks)
    assert b"Test bulk 42 en" in data


@pytest.mark.parametrize(
    ("file_format", "per_chunk"), [("tbx", 4), ("tmx", 1), ("csv", 1)]
)
def test_each_further_chunk_of_concepts_costs_the_same_few_queries(
    file_format, per_chunk, monkeypatch
):
    grow(12)
    concepts = Concept.objects.filter(slug__startswith="test-bulk-")
    monkeypatch.setattr(entries, "CHUNK_SIZE", 12)
    in_one_chunk = queries_to_export(file_format, concepts)
    monkeypatch.setattr(entries, "CHUNK_SIZE", 4)
    assert queries_to_export(file_format, concepts) == in_one_chunk + 2 * per_chunk


def test_filters_select_by_kind_domain_status_and_language(make_concept):
    make_concept("test-hant-only", kind="event", status="draft", zh_hant="測試會議")
    selected = exporter.select_concepts(kind="event", status="draft", language="zh-TW")
    assert list(selected.values_list("slug", flat=True)) == ["test-hant-only"]
    by_domain = exporter.select_concepts(domain="GEOGRAPHY")
    assert "khorgos" in set(by_domain.values_list("slug", flat=True))
    assert {c.domain for c in by_domain} == {"geography"}


def test_unknown_slugs_are_named_together():
    with pytest.raises(NotFound, match="'nowhere', 'nobody'"):
        exporter.select_concepts(slugs=["khorgos", "nowhere", "nobody"])


@pytest.mark.parametrize(
    ("file_format", "options", "error", "field"),
    [
        ("pdf", {}, UnknownFormat, "format"),
        ("tbx", {"include": ["admitted"]}, InvalidQuery, "include"),
        ("tmx", {"include": ["id"]}, InvalidQuery, "include"),
        ("csv", {"srclang": "en"}, InvalidQuery, "srclang"),
        ("tmx", {"srclang": "xx"}, UnknownLanguage, "srclang"),
        ("tbx", {"source": "en", "target": "ru"}, InvalidQuery, "source"),
        ("csv", {"source": "en"}, InvalidQuery, "target"),
        ("csv", {"source": "en", "target": "en-US"}, InvalidQuery, "target"),
        ("csv", {"source": "en", "target": "xx"}, UnknownLanguage, "target"),
    ],
)
def test_options_are_checked_before_anything_is_streamed(
    file_format, options, error, field
):
    with pytest.raises(error) as raised:
        exporter.export_glossary(file_format, **options)
    assert raised.value.field == field


def test_the_file_name_carries_the_date_and_the_pair():
    before = timezone.localdate()
    names = [
        exporter.export_glossary("tbx").filename,
        exporter.export_glossary("tbx2").filename,
        exporter.export_glossary("tsv", source="en", target="zh-CN").filename,
    ]
    dates = {before.isoformat(), timezone.localdate().isoformat()}
    patterns = [
        r"glossary-(.+)\.tbx",
        r"glossary-v2-(.+)\.tbx",
        r"glossary-en-zh-Hans-(.+)\.tsv",
    ]
    for name, pattern in zip(names, patterns, strict=True):
        assert re.fullmatch(pattern, name)[1] in dates
