"""Shared fixtures: an API client, a concept factory, the seed loaded once."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from rest_framework.test import APIClient

from glossary import editing, languages, seed
from glossary.models import Concept, Term


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real seed glossary once; each test runs in a transaction on it."""
    with django_db_blocker.unblock():
        seed.load_seed()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Start every test with an empty answer cache: rolled-back tests reuse versions."""
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def role_user(db):
    """role_user("editor"): a staff user in that role's group (viewer, editor,
    reviewer, admin), named after it unless a name is given."""

    def make(role: str, username: str | None = None):
        user = get_user_model().objects.create_user(
            username or role, password="x", is_staff=True
        )
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def origin(role_user) -> editing.Origin:
    """Changes made through the admin by a member of the admin role."""
    return editing.Origin("admin", role_user("admin", "test-admin"))


@pytest.fixture
def make_concept(db):
    """make_concept(en="Khorgos", zh_hans="霍尔果斯", ru=[("Хоргос", "preferred")])."""
    counter = iter(range(1, 10_000))

    def make(slug: str | None = None, *, kind="place", status="approved", **terms):
        concept = Concept.objects.create(
            slug=slug or f"test-concept-{next(counter)}", kind=kind, status=status
        )
        for key, value in terms.items():
            tag = languages.resolve(key)
            items = [(value, "preferred")] if isinstance(value, str) else value
            for text, term_status in items:
                Term.objects.create(
                    concept=concept, language=tag, text=text, status=term_status
                )
        return concept

    return make


@pytest.fixture(autouse=True)
def unthrottled(settings):
    """No request rates, so that no test is refused for its number of requests;
    tests/api/test_throttling.py sets its own."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}
