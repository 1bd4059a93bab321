"""The admin in Kazakh, Chinese and Russian: no English chrome, a language switcher.

Glossary data may well be English (terms, quotes, documents), so the check takes every
stored text off a page before it looks for English admin words in what is left.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator

from glossary.models import Concept

pytestmark = pytest.mark.django_db

UI_LANGUAGES = ["kk", "zh-hans", "ru"]
OWN_NAMES = {"en": "English", "kk": "Қазақша", "zh-hans": "简体中文", "ru": "Русский"}

# The admin's own words, Django's and the project's, as an English page shows them.
ENGLISH_CHROME = [
    "Add",
    "Change",
    "Delete",
    "Save",
    "Search",
    "Filter",
    "History",
    "Home",
    "Go",
    "Action",
    "Select",
    "By",
    "User",
    "Password",
    "Summary",
    "Objects",
    "Error",
    "Welcome",
    "Cancel",
    "Compare",
    "Revert",
    "Submit",
    "Approve",
    "Retire",
    "Review",
    "Statistics",
    "Import",
    "Sources",
    "Record",
    "Log in",
    "Log out",
    "View site",
    "Show all",
    "Show counts",
    "Clear all filters",
    "Recent actions",
    "My actions",
    "Skip to main content",
    "Toggle theme",
    "Toggle navigation",
    "Toggle sorting",
    "Remove from sorting",
    "Sorting priority",
    "Sidebar",
    "Breadcrumbs",
    "Start typing to filter",
    "Model name",
    "Add link",
    "Site administration",
    "administration",
    "Django site admin",
    "selected",
    "Yes, I’m sure",
    "No, take me back",
    "Are you sure",
    "Date/time",
    "This object doesn’t have a change history",
    "Please correct",
    "This field is required",
    "Hold down",
    "Currently",
    "Glossary statistics",
    "Coverage by language",
    "Concepts by status",
    "Concepts by kind",
    "Import concepts",
    "Check the file",
    "Interface language",
    "Download the selected",
    "missing language",
    "concepts with a preferred term",
]
CHROME_PATTERN = re.compile(
    rf"(?<!\w)(?:{'|'.join(map(re.escape, ENGLISH_CHROME))})(?!\w)"
)

# Tags that start a new line of text; others (a, q, mark, code...) run on inside it.
BLOCKS = {
    *("address", "article", "aside", "blockquote", "br", "button", "caption"),
    *("dd", "details", "div", "dl", "dt", "fieldset", "figure", "footer", "form"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "label", "legend", "li"),
    *("main", "nav", "ol", "option", "p", "pre", "section", "summary", "table"),
    *("tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul"),
}
HIDDEN = {"script", "style", "template", "textarea"}
ANNOUNCED = ("title", "alt", "placeholder", "aria-label")


class VisibleText(HTMLParser):
    """The text a person sees or hears: text, announced attributes, button labels."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = [""]
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
        if tag in BLOCKS:
            self.lines.append("")
        attributes = dict(attrs)
        said = [attributes[name] for name in ANNOUNCED if attributes.get(name)]
        if tag == "input" and attributes.get("type") in {"submit", "button", "reset"}:
            said.append(attributes.get("value") or "")
        if attributes.get("data-inline-formset"):
            options = json.loads(attributes["data-inline-formset"])["options"]
            said += [options["addText"], options["deleteText"]]
        self.lines += [*said, ""]

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden -= 1
        if tag in BLOCKS:
            self.lines.append("")

    def handle_data(self, data):
        if not self.hidden:
            self.lines[-1] += data


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.lines)


def glossary_data() -> list[str]:
    """Every stored text of the glossary and each record's name, longest first.

    Coded values (a language, a status) are left out: pages show them by their labels.
    """
    texts = set()
    for model in apps.get_app_config("glossary").get_models():
        fields = [
            field.name
            for field in model._meta.get_fields()
            if isinstance(field, models.CharField | models.TextField)
            and not field.choices
        ]
        for record in model.objects.all():
            name = str(record)
            texts |= {name, Truncator(name).words(18)}
            texts |= {getattr(record, field) for field in fields}
    return sorted((text for text in texts if len(text) > 1), key=len, reverse=True)


def english_chrome(html: str, data: list[str]) -> list[str]:
    """The English admin words left once the glossary's own texts are taken out."""
    rest = visible_text(html)
    for text in data:
        if text in rest:  # as a whole: "en" is data, but not inside "Recent"
            rest = re.sub(rf"(?<!\w){re.escape(text)}(?!\w)", "…", rest)
    return [
        " ".join(rest[max(0, found.start() - 30) : found.end() + 30].split())
        for found in CHROME_PATTERN.finditer(rest)
    ]


def admin_pages() -> list[str]:
    """Admin pages an editor meets: each glossary model's, and the concept's own."""
    pages = [reverse("admin:index"), reverse("admin:app_list", args=["glossary"])]
    for model in admin.site._registry:
        opts = model._meta
        if opts.app_label != "glossary":
            continue
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        pages += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        record = model.objects.order_by("pk").first()
        if record is not None:
            pages.append(reverse(f"{prefix}_change", args=[record.pk]))
    khorgos = Concept.objects.get(slug="khorgos").pk
    return [
        *pages,
        reverse("admin:glossary_concept_import"),
        reverse("admin:glossary_concept_statistics"),
        reverse("admin:glossary_concept_review"),
        reverse("admin:glossary_concept_workflow", args=[khorgos, "draft"]),
        reverse("admin:glossary_concept_history", args=[khorgos]),
        reverse("admin:glossary_concept_delete", args=[khorgos]),
    ]


@pytest.fixture(autouse=True)
def english_afterwards():
    """Leave the thread in the default language for the tests that follow."""
    yield
    translation.deactivate()


@pytest.fixture
def superuser(client):
    user = get_user_model().objects.create_superuser("i18n-admin", password="x")
    client.force_login(user)
    return client


def signed_out(language: str) -> Client:
    visitor = Client()
    visitor.cookies["django_language"] = language
    return visitor


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_no_admin_page_shows_english_chrome(superuser, language):
    data = glossary_data()
    superuser.cookies["django_language"] = language
    responses = {page: superuser.get(page) for page in admin_pages()}
    responses["login"] = signed_out(language).get(reverse("admin:login"))
    responses["logout"] = superuser.post(reverse("admin:logout"))
    found = {}
    for page, response in responses.items():
        assert response.status_code == 200, page
        found[page] = english_chrome(response.content.decode(), data)
    assert {page: words for page, words in found.items() if words} == {}


def test_the_check_finds_english_chrome_but_not_english_data(superuser):
    html = superuser.get(reverse("admin:glossary_concept_changelist")).content.decode()
    found = english_chrome(html, glossary_data())
    assert "China International Import Expo" in visible_text(html)
    assert any("Search" in words for words in found)
    assert not any("Expo" in words for words in found)


@pytest.mark.parametrize("language", ["en", *UI_LANGUAGES])
def test_every_admin_page_has_the_language_switcher(superuser, language):
    superuser.cookies["django_language"] = language
    pages = [*admin_pages(), reverse("admin:password_change")]
    responses = [superuser.get(page) for page in pages]
    responses.append(signed_out(language).get(reverse("admin:login")))
    for response in responses:
        html = response.content.decode()
        assert 'id="language-switcher"' in html, response.request["PATH_INFO"]
        assert all(name in html for name in OWN_NAMES.values())
        assert f'lang="{language}" aria-current="true">{OWN_NAMES[language]}' in html


def test_the_switcher_comes_back_to_the_same_page(superuser):
    page = reverse("admin:glossary_concept_changelist") + "?status__exact=draft"
    html = superuser.get(page).content.decode()
    assert f'name="next" value="{page}"' in html
    response = superuser.post(reverse("set_language"), {"language": "kk", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    again = superuser.get(response["Location"]).content.decode()
    assert '<html lang="kk"' in again and "Ұғымдар" in again


def test_the_statistics_page_speaks_the_ui_language(superuser):
    superuser.cookies["django_language"] = "ru"
    response = superuser.get(reverse("admin:glossary_concept_statistics"))
    html = response.content.decode()
    assert "казахский (латиница)" in html and "китайский (упрощенная)" in html
    assert "черновик" in html and "устойчивое словосочетание" in html
    assert ">draft<" not in html and ">phrase<" not in html


def test_the_statistics_chart_is_svg_with_its_numbers_as_text(superuser):
    superuser.cookies["django_language"] = "ru"
    response = superuser.get(reverse("admin:glossary_concept_statistics"))
    html = response.content.decode()
    start = html.index('<svg class="coverage-chart"')
    chart = html[start : html.index("</svg>", start)]
    assert 'role="img"' in chart and '<title id="coverage-chart-title">' in chart
    assert "Доля понятий с предпочтительным термином" in chart
    # The text says 100,0 % as Russian writes it; the drawing keeps SVG's numbers.
    assert "русский: 100,0 % (" in chart and ">100,0 %</text>" in chart
    assert 'width="400.0"' in chart and "<script" not in chart
