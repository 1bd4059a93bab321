"""The admin as an editor uses it: in Chromium, through its forms, at laptop size."""

from playwright.sync_api import Page, expect

from glossary.models import Concept, SourceDocument, Term

from .conftest import VIEWPORT, form_errors, submit

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


def add_concept(page: Page, site: str, slug: str, kind: str, terms: dict) -> None:
    """Add a concept with one term per language through the admin's add form."""
    page.goto(f"{site}/admin/glossary/concept/add/")
    page.locator("#id_slug").fill(slug)
    page.locator("#id_kind").select_option(kind)
    add_row = page.get_by_role("button", name="Add another Term")
    for _ in range(len(terms) - 1):
        add_row.click()
    for index, (language, text) in enumerate(terms.items()):
        page.locator(f"#id_terms-{index}-language").select_option(language)
        page.locator(f"#id_terms-{index}-text").fill(text)
    assert submit(page) == 302, form_errors(page)
    expect(page.locator(".messagelist .success")).to_contain_text(slug)


def add_quote(
    page: Page, site: str, document: SourceDocument, excerpt: str, term: Term
) -> None:
    """Add a quote through the admin, its offsets left to be found from the excerpt."""
    page.goto(f"{site}/admin/glossary/quote/add/")
    page.locator("#id_document").select_option(label=document.title)
    page.locator("#id_excerpt").fill(excerpt)
    # The terms field is an autocomplete (select2) asking the server as one types.
    page.locator(".field-terms .select2-search__field").fill(term.text)
    page.get_by_role("option", name=str(term), exact=True).click()
    expect(page.locator("#id_terms")).to_have_values([str(term.pk)])
    assert submit(page) == 302, form_errors(page)
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_a_concept_and_a_quote_added_in_the_admin_are_served_by_the_api(
    admin_page, site
):
    # A name the interview uses once and the seed glossary does not hold.
    terms = {
        "en": "logistics hub",
        "kk": "логистикалық хаб",
        "kk-Latn": "logistikalyq hab",
        "zh-Hans": "物流枢纽",
        "ru": "логистический хаб",
    }
    excerpt = (
        "a reliable Eurasian transport hub and the central logistics hub of the BRI"
    )
    document = SourceDocument.objects.get(slug="tokayev-xinhua-2024")
    assert document.text.count(excerpt) == 1
    assert not Term.objects.filter(text=terms["en"]).exists()

    add_concept(admin_page, site, "logistics-hub", "phrase", terms)
    english = Term.objects.get(concept__slug="logistics-hub", language="en")
    add_quote(admin_page, site, document, excerpt, english)

    params = {"q": terms["en"], "from": "en"}
    response = admin_page.request.get(f"{site}/api/v1/lookup/", params=params)
    assert response.status == 200
    (result,) = [
        r for r in response.json()["results"] if r["concept"] == "logistics-hub"
    ]
    found = {tag: [t["text"] for t in ts] for tag, ts in result["translations"].items()}
    assert found == {tag: [text] for tag, text in terms.items() if tag != "en"}

    response = admin_page.request.get(f"{site}/api/v1/concepts/logistics-hub/")
    assert response.status == 200
    start = document.text.index(excerpt)
    in_excerpt = excerpt.index(terms["en"])
    assert response.json()["quotes"] == [
        {
            "document": "tokayev-xinhua-2024",
            "excerpt": excerpt,
            "start": start,
            "end": start + len(excerpt),
            "terms": [
                {
                    "language": "en",
                    "text": terms["en"],
                    "span": [in_excerpt, in_excerpt + len(terms["en"])],
                }
            ],
        }
    ]
