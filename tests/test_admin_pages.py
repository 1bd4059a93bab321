"""Every model in the admin opens, adds, changes and deletes without a server error.

The models come from the admin site's registry, so a model registered later is covered
the day it is registered, and fails here until SMOKE says what to type into its forms.
The data posted is what a browser would send from the rendered form, hidden fields,
inline management forms and all, with SMOKE's values typed over it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth import get_permission_codename, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.test import RequestFactory
from django.urls import reverse
from knox.models import AuthToken

from glossary.models import Concept, Quote, SourceDocument, Term

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "Smoke-test passphrase 42"
DOCUMENT = "tokayev-xinhua-2024"


def khorgos() -> Concept:
    return Concept.objects.get(slug="khorgos")


def document() -> SourceDocument:
    return SourceDocument.objects.get(slug=DOCUMENT)


def unquoted_span(document: SourceDocument, length: int) -> tuple[str, int, int]:
    """A one-line excerpt of the document that occurs once and no quote holds yet."""
    text = document.text
    for start in range(0, len(text) - length, 7):
        excerpt = text[start : start + length]
        if (
            excerpt == excerpt.strip()
            and "\n" not in excerpt
            and text.count(excerpt) == 1
            and not document.quotes.filter(start=start).exists()
        ):
            return excerpt, start, start + length
    raise AssertionError(f"{document.slug} has no unquoted excerpt of {length} chars")


def quote_change(quote: Quote) -> dict[str, object]:
    excerpt, start, end = unquoted_span(quote.document, 64)
    return {"excerpt": excerpt, "start": start, "end": end}


@dataclass(frozen=True)
class Smoke:
    """One model's smoke test: an object to open, and what to type into its forms.

    `add` and `change` may be left out only where the admin allows no adding or
    changing (a read-only history, say); every value they give is read back from the
    saved object.
    """

    existing: Callable[[], Model]
    add: Callable[[], dict[str, object]] | None = None
    change: Callable[[Model], dict[str, object]] | None = None


SMOKE: dict[type[Model], Smoke] = {
    Concept: Smoke(
        existing=khorgos,
        add=lambda: {
            "slug": "smoke-test-concept",
            "kind": "place",
            "terms-0-language": "en",
            "terms-0-text": "Smoke Test Concept",
        },
        change=lambda concept: {"note": "Changed by the admin smoke test."},
    ),
    Term: Smoke(
        existing=lambda: khorgos().terms.get(language="en", status="preferred"),
        add=lambda: {
            "concept": khorgos().pk,
            "language": "en",
            "text": "Smoke Test Khorgos",
            "status": "admitted",
        },
        change=lambda term: {"usage_note": "Changed by the admin smoke test."},
    ),
    SourceDocument: Smoke(
        existing=document,
        add=lambda: {
            "slug": "smoke-test-document",
            "title": "Smoke test document",
            "language": "en",
            "text": "A text the admin smoke test adds.",
        },
        change=lambda doc: {"title": "Changed by the admin smoke test"},
    ),
    Quote: Smoke(
        existing=lambda: document().quotes.first(),
        # Offsets left empty: the quote form finds them from the excerpt.
        add=lambda: {
            "document": document().pk,
            "excerpt": unquoted_span(document(), 48)[0],
        },
        change=quote_change,
    ),
    User: Smoke(
        existing=lambda: User.objects.create_user("smoke-someone"),
        add=lambda: {
            "username": "smoke-new-user",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        change=lambda user: {"first_name": "Changed"},
    ),
    AuthToken: Smoke(
        existing=lambda: AuthToken.objects.create(
            user=User.objects.create_user("smoke-tool")
        )[0],
        add=lambda: {"user": User.objects.create_user("smoke-new-tool").pk},
        change=lambda token: {},
    ),
    Group: Smoke(
        existing=lambda: Group.objects.create(name="smoke-group"),
        add=lambda: {"name": "smoke-new-group"},
        change=lambda group: {"name": "smoke-renamed-group"},
    ),
}

REGISTERED = list(admin.site._registry)
# Each page, and the admin permission that opens it.
PAGES = {
    "changelist": "view_or_change",
    "add": "add",
    "change": "view_or_change",
    "delete": "delete",
    "history": "view_or_change",
}


def label(model: type[Model]) -> str:
    return model._meta.label_lower


def smoke(model: type[Model]) -> Smoke:
    if model not in SMOKE:
        pytest.fail(f"{label(model)} is in the admin but not in SMOKE: add its data")
    return SMOKE[model]


class BrowserForm(HTMLParser):
    """The name-value pairs a browser submits from the form with the given id."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self.select = self.textarea = None

    def add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.add(name, attrs.get("value", "on"))
            elif kind not in ("submit", "button", "reset", "image", "file"):
                self.add(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self.select is not None:
            self.select["options"].append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            options = self.select["options"]
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not self.select["multiple"]:
                chosen = [options[0][0]]
            for value in chosen:
                self.add(self.select["name"], value)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # HTML drops the newline that opens a textarea; Django writes one.
            self.add(name, text.removeprefix("\n"))
            self.textarea = None


def form_data(response, model: type[Model], typed: dict[str, object]) -> dict:
    """What a browser sends from the page's form after typing these values."""
    assert response.status_code == 200
    form = BrowserForm(f"{model._meta.model_name}_form")
    form.feed(response.content.decode())
    assert form.data, f"no form {form.form_id} on the page"
    return {**form.data, **{name: [str(value)] for name, value in typed.items()}}


def errors(response) -> str:
    """The form's errors, for a failure message."""
    if response.status_code != 200 or not response.context:
        return f"status {response.status_code}"
    found = [response.context["adminform"].form.errors]
    for inline in response.context.get("inline_admin_formsets", []):
        found += [inline.formset.non_form_errors(), inline.formset.errors]
    return repr(found)


def assert_stored(obj: Model, typed: dict[str, object]) -> None:
    """Each typed value that is a field of the object is what it now holds."""
    obj.refresh_from_db()
    fields = {field.name: field for field in obj._meta.concrete_fields}
    stored = {n: str(fields[n].value_from_object(obj)) for n in typed if n in fields}
    assert stored == {n: str(v) for n, v in typed.items() if n in fields}


def model_permissions(model: type[Model]) -> list[Permission]:
    opts = model._meta
    codenames = [
        get_permission_codename(action, opts)
        for action in ("view", "add", "change", "delete")
    ]
    return list(
        Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            codename__in=codenames,
        )
    )


@pytest.fixture(params=REGISTERED, ids=label)
def model(request) -> type[Model]:
    return request.param


@pytest.fixture(params=["superuser", "model_staff"])
def user(request, model) -> User:
    """A superuser, or a staff member allowed only this model's four actions."""
    if request.param == "superuser":
        return User.objects.create_superuser("smoke-admin", password=None)
    staff = User.objects.create_user("smoke-staff", is_staff=True)
    staff.user_permissions.set(model_permissions(model))
    return staff


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def request_by(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def allows(model: type[Model], user, action: str, obj: Model | None = None) -> bool:
    """Whether the model's admin lets this user take this action."""
    check = getattr(admin.site._registry[model], f"has_{action}_permission")
    return check(request_by(user)) if action == "add" else check(request_by(user), obj)


def url(model: type[Model], page: str, obj: Model | None = None) -> str:
    opts = model._meta
    args = [] if page in ("changelist", "add") else [obj.pk]
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=args)


def test_every_registered_model_has_smoke_data():
    missing = [label(model) for model in REGISTERED if model not in SMOKE]
    assert not missing, f"registered in the admin without data in SMOKE: {missing}"


@pytest.mark.parametrize("page", PAGES)
def test_each_admin_page_opens_as_the_user_is_allowed(signed_in, user, model, page):
    obj = smoke(model).existing()
    expected = 200 if allows(model, user, PAGES[page], obj) else 403
    assert signed_in.get(url(model, page, obj)).status_code == expected


def test_the_add_form_creates_an_object(signed_in, user, model):
    if not allows(model, user, "add"):
        assert signed_in.post(url(model, "add"), {}).status_code == 403
        return
    if smoke(model).add is None:
        pytest.fail(f"{label(model)} can be added in the admin: give SMOKE add data")
    typed = smoke(model).add()
    before = set(model._default_manager.values_list("pk", flat=True))
    data = form_data(signed_in.get(url(model, "add")), model, typed)
    response = signed_in.post(url(model, "add"), data)
    assert response.status_code == 302, errors(response)
    created = model._default_manager.exclude(pk__in=before)
    assert created.count() == 1
    assert_stored(created.get(), typed)


def test_the_change_form_stores_the_change(signed_in, user, model):
    obj = smoke(model).existing()
    if not allows(model, user, "change", obj):
        assert signed_in.post(url(model, "change", obj), {}).status_code == 403
        return
    if smoke(model).change is None:
        pytest.fail(f"{label(model)} can be changed in the admin: give SMOKE data")
    typed = smoke(model).change(obj)
    data = form_data(signed_in.get(url(model, "change", obj)), model, typed)
    response = signed_in.post(url(model, "change", obj), data)
    assert response.status_code == 302, errors(response)
    assert_stored(obj, typed)


def test_the_delete_page_deletes_the_object(signed_in, user, model):
    obj = smoke(model).existing()
    # Deleting also deletes what depends on the object, and Django asks for the right
    # to delete each of those kinds too: a concept's own staff may not delete its terms.
    _, _, perms_needed, protected = admin.site._registry[model].get_deleted_objects(
        [obj], request_by(user)
    )
    response = signed_in.post(url(model, "delete", obj), {"post": "yes"})
    if not allows(model, user, "delete", obj) or perms_needed:
        assert response.status_code == 403
        assert model._default_manager.filter(pk=obj.pk).exists()
    else:
        assert not protected, protected
        assert response.status_code == 302
        assert not model._default_manager.filter(pk=obj.pk).exists()
