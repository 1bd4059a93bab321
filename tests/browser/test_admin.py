"""The admin as an editor uses it: in Chromium, through its forms, at laptop size."""

from playwright.sync_api import Page, expect

from glossary.models import Concept

from .conftest import VIEWPORT

# Each element sticking out past the viewport's right edge, widest first, as
# "tag#id.class: right edge px".
OVERFLOWING = """width => [...document.querySelectorAll("body *")]
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([, box]) => box.right > width)
    .sort(([, a], [, b]) => b.right - a.right)
    .map(([el, box]) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}`
        + `${el.classList.length ? "." + [...el.classList].join(".") : ""}`
        + `: ${Math.round(box.right)}px`)"""


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


def test_the_khorgos_change_page_fits_a_laptop_screen_without_scrolling_sideways(
    admin_page, site
):
    open_change_page(admin_page, site, "khorgos")
    width = admin_page.evaluate("document.documentElement.scrollWidth")
    overflowing = admin_page.evaluate(OVERFLOWING, VIEWPORT["width"])
    assert width <= VIEWPORT["width"], overflowing[:10]


def test_a_concept_added_in_the_admin_is_found_by_the_lookup_api(admin_page, site):
    terms = {
        "en": "Test Dry Port",
        "kk": "Тест құрғақ порт",
        "kk-Latn": "Test qūrğaq port",
        "zh-Hans": "测试陆港",
        "ru": "Тест сухой порт",
    }
    admin_page.goto(f"{site}/admin/glossary/concept/add/")
    admin_page.locator("#id_slug").fill("test-dry-port")
    admin_page.locator("#id_kind").select_option("place")
    add_row = admin_page.get_by_role("button", name="Add another Term")
    for _ in range(len(terms) - 1):
        add_row.click()
    for index, (language, text) in enumerate(terms.items()):
        admin_page.locator(f"#id_terms-{index}-language").select_option(language)
        admin_page.locator(f"#id_terms-{index}-text").fill(text)
    with admin_page.expect_response(lambda r: r.request.method == "POST") as saved:
        admin_page.get_by_role("button", name="Save", exact=True).click()
    assert saved.value.status == 302, "the admin did not accept the new concept"
    expect(admin_page.locator(".messagelist .success")).to_contain_text("test-dry-port")

    params = {"q": terms["en"], "from": "en"}
    response = admin_page.request.get(f"{site}/api/v1/lookup/", params=params)
    assert response.status == 200
    (result,) = [
        r for r in response.json()["results"] if r["concept"] == "test-dry-port"
    ]
    found = {tag: [t["text"] for t in ts] for tag, ts in result["translations"].items()}
    assert found == {tag: [text] for tag, text in terms.items() if tag != "en"}
