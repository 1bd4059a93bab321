"""The admin works under the Content-Security-Policy: no violation on any page used."""

from playwright.sync_api import expect

from glossary.models import Concept

from .test_docs_page import watch_policy


def test_the_admin_pages_an_editor_uses_report_no_violation(admin_page, site):
    page = admin_page
    violations = watch_policy(page)
    khorgos = Concept.objects.get(slug="khorgos")

    response = page.goto(f"{site}/admin/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.goto(f"{site}/admin/glossary/concept/?q=Хоргос")
    expect(page.locator("#result_list")).to_contain_text("霍尔果斯")

    # The change page's scripts: inline rows added, a relation's autocomplete
    # (select2, asking the server as one types).
    page.goto(f"{site}/admin/glossary/concept/{khorgos.pk}/change/")
    rows = page.locator("#terms-group tr.form-row:not(.empty-form)")
    count = rows.count()
    page.get_by_role("button", name="Add another Term").click()
    expect(rows).to_have_count(count + 1)
    page.get_by_role("button", name="Add another relation to another concept").click()
    page.locator(".select2-selection").last.click()
    page.locator(".select2-search__field").fill("Astana")
    expect(page.locator(".select2-results__option").first).to_contain_text("astana")

    page.goto(f"{site}/admin/glossary/concept/statistics/")
    page.goto(f"{site}/admin/glossary/concept/{khorgos.pk}/history/")

    # The interface language switcher posts a form and comes back translated.
    page.get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    assert violations == []
