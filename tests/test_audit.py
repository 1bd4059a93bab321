import pytest
from django.core.management import CommandError, call_command

from glossary import audit
from glossary.audit import ConceptRecord, QuoteRecord, TermRecord

DOCUMENT = "The Khorgos – Eastern Gate SEZ lies on the border."


def record(slug="test", status="approved", terms=None, quotes=None) -> ConceptRecord:
    terms = terms or [
        TermRecord("en", "Khorgos", "preferred"),
        TermRecord("kk", "Қорғас", "preferred"),
        TermRecord("kk-Latn", "Qorğas", "preferred"),
        TermRecord("zh-Hans", "霍尔果斯", "preferred", "Huò'ěrguǒsī"),
        TermRecord("ru", "Хоргос", "preferred"),
    ]
    quotes = quotes or [QuoteRecord(DOCUMENT, "Khorgos", 4, 11, ["en"])]
    return ConceptRecord(f"places.yaml: {slug}", slug, status, terms, quotes)


def messages(records) -> list[str]:
    return [str(finding) for finding in audit.check_glossary(records)]


def test_a_sound_entry_has_no_findings():
    assert messages([record()]) == []


def test_a_quote_off_its_offsets_is_reported_with_file_and_entry():
    bad = record(quotes=[QuoteRecord(DOCUMENT, "Khorgos", 5, 12, ["en"])])
    assert messages([bad]) == [
        "places.yaml: test: quote 'Khorgos' is not the document's text there"
    ]


def test_a_concept_without_an_english_quote_is_reported():
    bad = record(quotes=[QuoteRecord(DOCUMENT, "Khorgos", 4, 11, ["ru"])])
    assert "no quote attests the English form" in messages([bad])[0]


def test_an_approved_concept_missing_a_core_language_is_reported():
    terms = [t for t in record().terms if t.language != "ru"]
    assert "no preferred term in ru" in messages([record(terms=terms)])[0]


def test_a_draft_concept_may_be_incomplete():
    terms = [t for t in record().terms if t.language != "ru"]
    assert messages([record(status="draft", terms=terms)]) == []


def test_kazakh_latin_that_does_not_follow_the_2021_alphabet_is_reported():
    terms = [t for t in record().terms if t.language != "kk-Latn"]
    terms.append(TermRecord("kk-Latn", "Qorgas", "preferred"))
    (message,) = messages([record(terms=terms)])
    assert "expected 'Qorğas'" in message


def test_pinyin_that_does_not_match_the_characters_is_reported():
    terms = [t for t in record().terms if t.language != "zh-Hans"]
    terms.append(TermRecord("zh-Hans", "霍尔果斯", "preferred", "Huò'ěrguǒsā"))
    (message,) = messages([record(terms=terms)])
    assert "does not match '霍尔果斯'" in message and "huò ěr guǒ sī" in message


@pytest.mark.parametrize(
    ("characters", "romanization"),
    [
        ("重庆", "Chóngqìng"),
        ("战略", "zhànlüè"),
        ("上合组织", "Shànghé Zǔzhī"),
        ("西安", "Xī'ān"),
    ],
)
def test_pinyin_accepts_any_reading_of_polyphonic_characters(characters, romanization):
    assert audit.pinyin_agrees(characters, romanization)


def test_two_concepts_sharing_a_preferred_term_are_reported():
    findings = messages([record("a"), record("b")])
    assert findings == [f for f in findings if "shares its preferred" in f]
    assert "places.yaml: a: shares its preferred en term with b" in findings


def test_the_seed_glossary_is_clean():
    assert messages(audit.records_from_seed()) == []


@pytest.mark.django_db
def test_the_database_copy_of_the_seed_is_clean():
    assert messages(audit.records_from_database()) == []


@pytest.mark.django_db
def test_the_command_exits_non_zero_on_findings(tmp_path):
    import shutil

    from glossary import seed

    shutil.copytree(seed.SEED_DIR, tmp_path / "seed")
    places = tmp_path / "seed" / "concepts" / "places.yaml"
    places.write_text(
        places.read_text(encoding="utf-8").replace("Qorğas", "Qorgas", 1),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="finding"):
        call_command("check_glossary", "--path", str(tmp_path / "seed"))
    call_command("check_glossary")


def test_pinyin_ignores_punctuation_of_either_width():
    assert audit.pinyin_agrees(
        "同一个星球，同一个未来", "Tóng yī gè xīngqiú, tóng yī gè wèilái"
    )
