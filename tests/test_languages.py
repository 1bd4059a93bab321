import pytest

from glossary import languages
from glossary.errors import UnknownLanguage


@pytest.mark.parametrize(
    ("alias", "tag"),
    [
        ("zh", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("zh_Hans", "zh-Hans"),
        ("ZH-hans", "zh-Hans"),
        ("zh-TW", "zh-Hant"),
        ("kk-KZ", "kk"),
        ("kk-Cyrl", "kk"),
        ("KK-latn", "kk-Latn"),
        ("ru-RU", "ru"),
        ("en-US", "en"),
        ("EN", "en"),
    ],
)
def test_aliases_resolve_to_the_canonical_tag(alias, tag):
    assert languages.resolve(alias) == tag


@pytest.mark.parametrize("bad", ["fr", "", "xx-YY", "kk-Arab", "123", "zh-"])
def test_unknown_languages_raise_with_the_supported_list(bad):
    with pytest.raises(UnknownLanguage) as error:
        languages.resolve(bad)
    assert "kk-Latn" in str(error.value)


def test_a_list_names_every_unknown_tag_at_once():
    with pytest.raises(UnknownLanguage) as error:
        languages.resolve_list("ru,fr,de,zh-CN", field="to")
    assert "'fr'" in str(error.value) and "'de'" in str(error.value)
    assert error.value.field == "to"


def test_a_list_is_resolved_and_deduplicated_in_order():
    assert languages.resolve_list("zh-CN, ru,zh", field="to") == ["zh-Hans", "ru"]


def test_display_names_come_in_every_ui_language():
    names = languages.display_names("kk-Latn")
    assert names["en"] == "Kazakh (Latin)"
    assert names["ru"] == "казахский (латиница)"
    assert names["zh-Hans"].startswith("哈萨克语")
    assert names["kk"].startswith("қазақ")


def test_english_and_russian_names_do_not_mention_the_script():
    assert languages.display_name("ru", "en") == "Russian"
    assert languages.display_name("en", "ru") == "английский"
