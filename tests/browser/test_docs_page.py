"""The API docs page (Swagger UI, served from this site) works under the CSP."""

from playwright.sync_api import Page, expect

HTTP_METHODS = {"get", "put", "post", "patch", "delete", "head", "options"}


def watch_policy(page: Page) -> list[str]:
    """Every Content-Security-Policy violation the page reports from now on."""
    violations: list[str] = []

    def keep(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", keep)
    # Chromium reports each violation as an event too, blocked inline code included.
    page.add_init_script(
        """document.addEventListener("securitypolicyviolation", (event) =>
            console.error(`Content Security Policy: ${event.violatedDirective}`
                + ` blocked ${event.blockedURI}`))"""
    )
    return violations


def test_the_docs_page_lists_every_operation_and_runs_one(page: Page, site: str):
    violations = watch_policy(page)
    schema = page.request.get(f"{site}/api/v1/schema/?format=json").json()
    operations = sum(
        1 for methods in schema["paths"].values() for m in methods if m in HTTP_METHODS
    )

    response = page.goto(f"{site}/api/v1/docs/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
    expect(page.locator(".opblock")).to_have_count(operations)

    lookup = page.locator(".opblock-get").filter(
        has=page.locator('[data-path="/api/v1/lookup/"]')
    )
    lookup.locator(".opblock-summary").click()
    lookup.get_by_role("button", name="Try it out").click()
    lookup.locator("input[placeholder=q]").fill("Khorgos")
    lookup.get_by_role("button", name="Execute").click()
    status = lookup.locator(".live-responses-table tbody .response-col_status")
    expect(status).to_have_text("200")
    expect(lookup.locator(".live-responses-table")).to_contain_text("霍尔果斯")
    assert violations == []
