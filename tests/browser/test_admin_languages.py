"""The admin read in Kazakh, Chinese and Russian, the interface language a cookie."""

import re

from django.conf import settings
from playwright.sync_api import Page, expect

from glossary.models import Concept

# A few words of Django's admin each page must show translated: Save, History.
# Project strings still being translated are left out.
TRANSLATED = {
    "kk": ("Сақтау", "Тарих"),
    "zh-hans": ("保存", "历史"),
    "ru": ("Сохранить", "История"),
}


def use_language(page: Page, site: str, language: str) -> None:
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site}]
    )


def test_the_change_and_history_pages_read_in_kazakh_chinese_and_russian(
    admin_page, site, screenshot
):
    khorgos = Concept.objects.get(slug="khorgos")
    for language, (save, history) in TRANSLATED.items():
        use_language(admin_page, site, language)

        admin_page.goto(f"{site}/admin/glossary/concept/{khorgos.pk}/change/")
        expect(admin_page.locator("html")).to_have_attribute("lang", language)
        expect(admin_page.locator("input[name=_save]")).to_have_value(save)
        screenshot(admin_page, f"{language}-change")

        admin_page.get_by_role("link", name=history, exact=True).click()
        expect(admin_page).to_have_url(re.compile(r"/history/$"))
        expect(admin_page.locator("html")).to_have_attribute("lang", language)
        expect(admin_page.locator(".breadcrumbs")).to_contain_text(history)
        expect(admin_page.locator("table.glossary-diff")).to_contain_text("Хоргос")
        screenshot(admin_page, f"{language}-history")
