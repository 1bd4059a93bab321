"""The admin's UI language: the switcher's choices and language names in it."""

from django import template
from django.conf import settings
from django.utils.translation import get_language, get_language_info

from .. import languages

register = template.Library()

# Django names Kazakh "Қазақ" (the people); a switcher names the language, "Қазақша".
_OWN_NAMES = {"kk": "Қазақша"}


@register.simple_tag
def ui_languages() -> list[dict[str, object]]:
    """Every UI language with its name in itself, the active one marked current."""
    active = get_language()
    return [
        {
            "code": code,
            "name": _OWN_NAMES.get(code, get_language_info(code)["name_local"]),
            "current": code == active,
        }
        for code, _ in settings.LANGUAGES
    ]


@register.filter
def language_name(tag: str) -> str:
    """A glossary language tag named in the active UI language."""
    return languages.display_name(tag, get_language())
