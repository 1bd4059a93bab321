"""The admin as an editor uses it: in Chromium, through its forms, at laptop size."""

from playwright.sync_api import Page, expect

from glossary.models import Concept


def open_change_page(page: Page, site: str, slug: str) -> None:
    concept = Concept.objects.get(slug=slug)
    page.goto(f"{site}/admin/glossary/concept/{concept.pk}/change/")
    expect(page.locator("#concept_form")).to_be_visible()


def test_an_editor_signs_in_and_finds_khorgos_by_its_russian_term(admin_page, site):
    admin_page.get_by_role("link", name="Concepts", exact=True).click()
    admin_page.locator("#searchbar").fill("Хоргос")
    admin_page.get_by_role("button", name="Search").click()
    results = admin_page.locator("#result_list")
    expect(results.get_by_role("link", name="khorgos", exact=True)).to_be_visible()
    expect(results).to_contain_text("霍尔果斯")


def test_the_khorgos_change_page_renders_its_terms_in_every_script(
    admin_page, site, screenshot
):
    open_change_page(admin_page, site, "khorgos")
    texts = admin_page.locator("#terms-group input[name$='-text']").evaluate_all(
        "inputs => inputs.map(input => input.value)"
    )
    assert {"Khorgos", "Қорғас", "Qorğas", "霍尔果斯", "Хоргос"} <= set(texts)
    screenshot(admin_page)
