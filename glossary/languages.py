"""The one registry of the glossary's languages: BCP 47 tags, aliases and display names.

Every other module (models, API, admin, formats, commands) goes through `resolve()` and
`LANGUAGES`; no language list appears anywhere else. Names come from Babel (CLDR).
"""

from dataclasses import dataclass
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from .errors import UnknownLanguage


@dataclass(frozen=True)
class Language:
    tag: str  # the canonical BCP 47 tag stored in the database
    language: str  # ISO 639 code
    script: str  # ISO 15924 code
    show_script: bool  # whether the display name must say the script

    @property
    def is_chinese(self) -> bool:
        return self.language == "zh"


LANGUAGES: dict[str, Language] = {
    language.tag: language
    for language in (
        Language("en", "en", "Latn", show_script=False),
        Language("kk", "kk", "Cyrl", show_script=True),
        Language("kk-Latn", "kk", "Latn", show_script=True),
        Language("zh-Hans", "zh", "Hans", show_script=True),
        Language("zh-Hant", "zh", "Hant", show_script=True),
        Language("ru", "ru", "Cyrl", show_script=False),
    )
}
TAGS: tuple[str, ...] = tuple(LANGUAGES)

# The languages a concept is expected to have (approved entries need all four).
CORE_TAGS: tuple[str, ...] = ("en", "kk", "zh-Hans", "ru")

# The languages the user interface is translated into, as Babel locale identifiers.
UI_LOCALES: dict[str, str] = {"en": "en", "kk": "kk", "zh-Hans": "zh_Hans", "ru": "ru"}

_BY_LANGUAGE_AND_SCRIPT = {
    (lang.language, lang.script): lang.tag for lang in LANGUAGES.values()
}


def _subtags(value: str) -> tuple[str, str | None, str | None]:
    """Split a tag in any case, with - or _, into language, script and region.

    A malformed tag gives an empty language, which no registry entry has.
    """
    parts = value.strip().replace("_", "-").split("-")
    invalid = ("", None, None)
    if not parts[0].isalpha() or not 2 <= len(parts[0]) <= 3:
        return invalid
    language, script, region = parts[0].lower(), None, None
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha() and script is None and region is None:
            script = part.title()
        elif region is None and (
            (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit())
        ):
            region = part.upper()
        else:
            return invalid
    return language, script, region


@lru_cache(maxsize=512)  # bounded: the argument comes from requests
def _resolve(value: str) -> str | None:
    language, script, region = _subtags(value)
    if script is None:
        # CLDR's likely subtags supply the script a region implies: zh-TW is Hant.
        likely = get_global("likely_subtags")
        expanded = likely.get(f"{language}_{region}") if region else None
        expanded = expanded or likely.get(language) or ""
        parts = expanded.split("_")
        script = parts[1] if len(parts) > 1 else None
    return _BY_LANGUAGE_AND_SCRIPT.get((language, script))


def _shown(value: str) -> str:
    """A value as an error message quotes it: short, whatever a client sent."""
    return repr(value if len(value) <= 40 else f"{value[:40]}…")


def resolve(value: str) -> str:
    """Return the canonical tag for a tag or alias (`zh-CN` → `zh-Hans`), or raise."""
    tag = _resolve(value or "")
    if tag is None:
        supported = ", ".join(TAGS)
        raise UnknownLanguage(
            f"Unknown language {_shown(value or '')}; use one of {supported} (or an "
            "alias such as zh-CN, kk-KZ, ru-RU).",
            field="lang",
        )
    return tag


def resolve_list(value: str, *, field: str) -> list[str]:
    """Resolve a comma-separated list of tags, naming every unknown one at once."""
    tags, unknown = [], []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        tag = _resolve(item)
        if tag is None:
            unknown.append(item)
        elif tag not in tags:
            tags.append(tag)
    if unknown:
        raise UnknownLanguage(
            f"Unknown language(s) {', '.join(map(_shown, unknown[:5]))}; use any of "
            f"{', '.join(TAGS)}.",
            field=field,
        )
    return tags


def ui_locale(ui_language: str | None) -> Locale:
    """The Babel locale for a UI language given as a tag, alias or Django code."""
    tag = _resolve(ui_language or "en") or "en"
    try:
        return Locale.parse(UI_LOCALES.get(tag, "en"))
    except UnknownLocaleError:
        return Locale.parse("en")


@cache
def display_name(tag: str, ui_language: str = "en") -> str:
    """The name of a language in a UI language: `display_name("kk-Latn", "ru")`."""
    language = LANGUAGES[resolve(tag)]
    locale = ui_locale(ui_language)
    name = locale.languages.get(language.language, language.tag)
    if language.show_script:
        name = f"{name} ({locale.scripts.get(language.script, language.script)})"
    return name


def display_names(tag: str) -> dict[str, str]:
    """The name of a language in every UI language, keyed by UI language tag."""
    return {ui: display_name(tag, ui) for ui in UI_LOCALES}


def choices() -> list[tuple[str, str]]:
    """Model and form choices: every tag with its English name."""
    return [(tag, f"{display_name(tag)} [{tag}]") for tag in TAGS]
