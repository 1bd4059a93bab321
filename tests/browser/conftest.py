"""Real-browser fixtures: Debian's Chromium driven by Playwright against a live server.

A live server needs committed data, so these tests run on a transactional database,
which pytest-django empties after each of them. To leave the seed glossary to every
other test, browser tests run last in the session, and each one that finds the
database empty loads the seed again before it starts.
"""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from glossary import seed
from glossary.models import Concept

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
BROWSER_DIR = Path(__file__).parent
# What a laptop editor sees; pages are checked for fitting its width.
VIEWPORT = {"width": 1366, "height": 768}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ADMIN_USERNAME = "browser-admin"
ADMIN_PASSWORD = "browser-admin-password"


def pytest_itemcollected(item: pytest.Item) -> None:
    """Mark every test of this folder `browser`, so `-m browser` selects them."""
    if BROWSER_DIR in item.path.parents:
        item.add_marker(pytest.mark.browser)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last, each leaving an empty database behind it.

    pytest-django already puts tests on a transactional database after the other
    database tests; this puts them after the tests that use no database as well.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def chromium_path() -> str:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or "/usr/bin/chromium"
    )


def submit(page: Page, button: str = "Save") -> int:
    """Click a form's submit button; the status of the POST, its outcome shown."""
    with (
        page.expect_navigation(),
        page.expect_response(lambda r: r.request.method == "POST") as posted,
    ):
        page.get_by_role("button", name=button, exact=True).click()
    return posted.value.status


def form_errors(page: Page) -> list[str]:
    """The error messages an admin form shows, to say why a save was refused."""
    return page.locator(".errornote, .errorlist li").all_inner_texts()


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    # Playwright's sync API keeps an event loop running in this thread, and Django
    # refuses database access from a thread with a running loop, taking it for async
    # code. The tests' own queries are synchronous: let them through meanwhile.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as driver:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


@pytest.fixture
def site(live_server, playwright) -> str:
    """The live server's address, with the seed glossary in its database.

    Requested after `playwright`, which lets the seed load run next to its loop.
    """
    if not Concept.objects.exists():
        seed.load_seed()  # the previous browser test's flush emptied the database
    return live_server.url


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """new_page(): a page in a browser context of its own, as another person's."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(viewport=VIEWPORT, locale="en-US")
        context.set_default_timeout(10_000)  # fail in seconds, not Playwright's 30
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def sign_in(site: str, django_user_model, settings) -> Callable[..., Page]:
    """sign_in(page, username): a new superuser, signed in through the login form."""
    # Hashing with the production hasher takes half a second, twice per sign-in.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def sign_in_as(page: Page, username: str = ADMIN_USERNAME) -> Page:
        django_user_model.objects.create_superuser(
            username, f"{username}@example.org", ADMIN_PASSWORD
        )
        page.goto(f"{site}/admin/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(ADMIN_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(f"{site}/admin/")
        return page

    return sign_in_as


@pytest.fixture
def admin_page(page: Page, sign_in) -> Page:
    """A page signed in to the admin as a superuser, through the real login form."""
    return sign_in(page)


@pytest.fixture
def screenshot(request: pytest.FixtureRequest):
    """screenshot(page): the whole page saved in test-artifacts/, checked not blank.

    The file is named after the test, plus `name` for a test that takes several.
    """

    def take(page: Page, name: str = "") -> Path:
        path = ARTIFACTS / f"{request.node.name}{'-' if name else ''}{name}.png"
        page.screenshot(path=path, full_page=True)
        # A blank or unstyled-empty page has a handful of flat colours; rendered text
        # alone brings hundreds of anti-aliased shades.
        with Image.open(path) as image:
            assert image.convert("RGB").getcolors(maxcolors=64) is None, (
                f"{path} is blank: 64 colours or fewer"
            )
        return path

    return take
