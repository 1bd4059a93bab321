"""Restricted entries: what a concept hidden from a reader never lets through.

An internal concept with distinctive terms, a quote attesting only them, a quote
shared with a public term and a relation from a public concept, read through every
endpoint by each kind of reader. A new read endpoint is one more entry in READS.
"""

import json
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from glossary import caching, editing, exporter, matching, qa, search, visibility
from glossary.entries import ConceptEntry, DefinitionEntry, TermEntry
from glossary.errors import NotFound
from glossary.models import Concept, ConceptRelation, Quote, SourceDocument, Term

pytestmark = pytest.mark.django_db

SLUG = "zephyrgate-accord"
DOCUMENT = "test-visibility-talks"
# Lowercase pieces of every term of the hidden concept, in each of its scripts.
MARKERS = ("zephyrgate", "зефиргейт", "泽菲尔门")
TEXT = "Talks on the Zephyrgate Accord at Khorgos Zephyrgate Crossing."
DOCUMENT_TEXT = (
    "Khorgos and the northern crossing were discussed. "
    "The accord of the northern gate was signed."
)


@dataclass(frozen=True)
class Read:
    """One request that, made by someone allowed to, shows the hidden concept."""

    path: str
    params: dict | None = None
    method: str = "get"

    def send(self, client, *, slug: str = SLUG, quote: int = 0):
        path = self.path.format(slug=slug, quote=quote)
        params = {k: v.format(slug=slug) for k, v in (self.params or {}).items()}
        if self.method == "post":
            response = client.post(path, params, format="json")
        else:
            response = client.get(path, params)
        return response


READS = {
    "lookup": Read("/api/v1/lookup/", {"q": "zephyrg", "match": "prefix"}),
    "lookup, fuzzy": Read(
        "/api/v1/lookup/", {"q": "Zephyrgat Acord", "match": "fuzzy"}
    ),
    "lookup, from Russian": Read(
        "/api/v1/lookup/", {"q": "зефирг", "from": "ru", "match": "prefix"}
    ),
    "term search": Read("/api/v1/terms/", {"q": "zephyrg", "match": "prefix"}),
    "term search, fuzzy": Read(
        "/api/v1/terms/", {"q": "Zephyrgat Acord", "match": "fuzzy"}
    ),
    "term search, contains": Read(
        "/api/v1/terms/", {"q": "ephyrg", "match": "contains"}
    ),
    "concept list": Read("/api/v1/concepts/", {"q": "ephyrg"}),
    "concept list, by kind": Read(
        "/api/v1/concepts/", {"kind": "publication", "page_size": "200"}
    ),
    "concept": Read("/api/v1/concepts/{slug}/"),
    "concept history": Read("/api/v1/concepts/{slug}/history/"),
    "a related public concept": Read("/api/v1/concepts/khorgos/"),
    "quotes of a document": Read("/api/v1/quotes/", {"document": DOCUMENT}),
    "quotes of the concept": Read("/api/v1/quotes/", {"concept": "{slug}"}),
    "quotes in a language": Read("/api/v1/quotes/", {"lang": "en", "page_size": "200"}),
    "quote": Read("/api/v1/quotes/{quote}/"),
    "document": Read(f"/api/v1/documents/{DOCUMENT}/"),
    **{
        f"export {fmt}": Read(f"/api/v1/export/{fmt}/")
        for fmt in ("tbx", "tbx2", "tmx", "csv", "tsv")
    },
    "export of the concept": Read("/api/v1/export/tbx/", {"concept": "{slug}"}),
    "export by term": Read("/api/v1/export/csv/", {"q": "ephyrg"}),
    "annotate": Read("/api/v1/annotate/", {"text": TEXT, "language": "en"}, "post"),
    "annotate Russian": Read(
        "/api/v1/annotate/",
        {"text": "Зефиргейтское соглашение подписано.", "language": "ru"},
        "post",
    ),
    "check, missing": Read(
        "/api/v1/check/",
        {
            "source_text": TEXT,
            "target_text": "Переговоры в Хоргосе.",
            "source_language": "en",
            "target_language": "ru",
        },
        "post",
    ),
    "check, deprecated": Read(
        "/api/v1/check/",
        {
            "source_text": "Talks.",
            "target_text": "Зефиргейтский договор подписан.",
            "source_language": "en",
            "target_language": "ru",
        },
        "post",
    ),
}
# The reads that name the hidden concept themselves.
NAMING = [name for name, read in READS.items() if "{slug}" in json.dumps(vars(read))]


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def leaked(response, read: str | None = None) -> list[str]:
    """The markers of the hidden concept in a response, apart from the slug a read
    that names the concept may echo."""
    text = body(response).lower()
    if read in NAMING:
        text = text.replace(SLUG, "")
    return [marker for marker in MARKERS if marker in text]


@pytest.fixture
def user_of(db):
    """user_of("viewer"): a user of that kind (a role, "nobody" signed in without
    one, "staff without a role"); None for "anonymous". No password: hashing one
    would take most of each test's time."""

    def make(kind: str, name: str | None = None):
        if kind == "anonymous":
            return None
        user = get_user_model().objects.create_user(
            name or f"test-{kind}".replace(" ", "-"), is_staff=kind != "nobody"
        )
        if kind not in ("nobody", "staff without a role"):
            user.groups.add(Group.objects.get(name=kind))
        return user

    return make


@pytest.fixture
def hidden(user_of):
    """hidden(visibility="internal", status="approved"): the concept, with quotes
    and a relation from khorgos, written through the write service (so it has a
    history)."""

    def make(*, visibility="internal", status="approved") -> dict:
        entry = ConceptEntry(
            SLUG,
            kind="publication",
            visibility=visibility,
            terms=[
                TermEntry("en", "Zephyrgate Accord"),
                TermEntry("en", "Khorgos Zephyrgate Crossing", status="admitted"),
                TermEntry("ru", "Зефиргейтское соглашение"),
                TermEntry("ru", "Зефиргейтский договор", status="deprecated"),
                TermEntry("zh-Hans", "泽菲尔门协定"),
            ],
            definitions=[DefinitionEntry("en", "The Zephyrgate accord of 2031.")],
            whole=True,
        )
        origin = editing.Origin("admin", user_of("admin", "test-author"))
        concept, _ = editing.save_concept(entry, origin=origin)
        concept.status = status
        concept.save()
        khorgos = Concept.objects.get(slug="khorgos")
        ConceptRelation.objects.create(source=khorgos, target=concept, kind="related")
        document = SourceDocument.objects.create(
            slug=DOCUMENT, title="Test talks", language="en", text=DOCUMENT_TEXT
        )
        shared_text = DOCUMENT_TEXT[: DOCUMENT_TEXT.index(".") + 1]
        own_text = DOCUMENT_TEXT[len(shared_text) + 1 :]
        shared = Quote.objects.create(
            document=document, excerpt=shared_text, start=0, end=len(shared_text)
        )
        shared.terms.add(
            Term.objects.get(concept=khorgos, language="en", text="Khorgos"),
            concept.terms.get(text="Khorgos Zephyrgate Crossing"),
        )
        start = len(shared_text) + 1
        own = Quote.objects.create(
            document=document, excerpt=own_text, start=start, end=start + len(own_text)
        )
        own.terms.add(concept.terms.get(text="Zephyrgate Accord"))
        return {"concept": concept, "quote": own.pk, "shared": shared.pk}

    return make


@pytest.fixture
def reader(api, user_of):
    """reader("viewer"): the API client signed in as such a reader (or anonymous)."""

    def sign_in(kind: str):
        user = user_of(kind)
        if user is not None:
            api.force_login(user)
        return api

    return sign_in


HIDDEN_FROM = ["anonymous", "nobody", "staff without a role"]
SHOWN_TO = ["viewer", "editor", "admin"]


@pytest.mark.parametrize("who", HIDDEN_FROM)
@pytest.mark.parametrize("read", READS)
def test_an_internal_concept_never_reaches_a_reader_without_the_right(
    hidden, reader, who, read
):
    quote = hidden()["quote"]
    response = READS[read].send(reader(who), quote=quote)
    assert response.status_code in (200, 404)
    assert leaked(response, read) == []


@pytest.mark.parametrize("who", SHOWN_TO)
@pytest.mark.parametrize("read", READS)
def test_a_role_that_reads_internal_entries_sees_the_concept_everywhere(
    hidden, reader, who, read
):
    quote = hidden()["quote"]
    response = READS[read].send(reader(who), quote=quote)
    assert response.status_code == 200
    assert leaked(response, read)


@pytest.mark.parametrize("read", NAMING)
def test_asking_for_an_internal_concept_by_name_answers_as_for_no_concept(
    hidden, api, read
):
    hidden()
    internal = READS[read].send(api)
    unknown = READS[read].send(api, slug="no-such-concept")
    assert internal.status_code == unknown.status_code
    assert body(internal).replace(SLUG, "?") == body(unknown).replace(
        "no-such-concept", "?"
    )


def test_a_quote_attesting_only_internal_terms_is_hidden_and_a_shared_one_stays(
    hidden, api
):
    made = hidden()
    quotes = api.get("/api/v1/quotes/", {"document": DOCUMENT}).json()["results"]
    assert [quote["id"] for quote in quotes] == [made["shared"]]
    assert [term["text"] for term in quotes[0]["terms"]] == ["Khorgos"]
    assert api.get(f"/api/v1/quotes/{made['quote']}/").status_code == 404
    document = api.get(f"/api/v1/documents/{DOCUMENT}/").json()
    assert [quote["id"] for quote in document["quotes"]] == [made["shared"]]


def test_a_public_concept_lists_no_relation_to_an_internal_one(hidden, api):
    hidden()
    khorgos = api.get("/api/v1/concepts/khorgos/").json()
    assert SLUG not in [relation["target"] for relation in khorgos["relations"]]


def test_the_openapi_schema_and_docs_show_no_glossary_data(hidden, reader):
    hidden()
    client = reader("viewer")
    for path in ("/api/v1/schema/", "/api/v1/docs/"):
        response = client.get(path)
        assert response.status_code == 200
        assert leaked(response) == []


# Recognition: what is hidden is dropped before the longest matches are chosen.


def test_an_internal_term_overlapping_a_public_one_does_not_hide_it(hidden):
    hidden()
    text = "at Khorgos Zephyrgate Crossing"
    public = matching.find_terms(text, language="en", visible=visibility.PUBLIC)
    assert [(hit.text, hit.term.concept.slug) for hit in public] == [
        ("Khorgos", "khorgos")
    ]
    everything = matching.find_terms(text, language="en", visible=visibility.EVERYTHING)
    assert [(hit.text, hit.term.concept.slug) for hit in everything] == [
        ("Khorgos Zephyrgate Crossing", SLUG)
    ]


def test_annotating_finds_the_public_term_an_internal_one_overlaps(hidden, reader):
    hidden()
    text = "at Khorgos Zephyrgate Crossing"
    found = {}
    for who in ("anonymous", "viewer"):
        response = reader(who).post(
            "/api/v1/annotate/", {"text": text, "language": "en"}, format="json"
        )
        found[who] = [
            (hit["text"], hit["concept"]) for hit in response.json()["results"]
        ]
    assert found == {
        "anonymous": [("Khorgos", "khorgos")],
        "viewer": [("Khorgos Zephyrgate Crossing", SLUG)],
    }


def test_a_phrase_lookup_finds_the_public_term_an_internal_one_overlaps(hidden):
    hidden()
    query = "talks at Khorgos Zephyrgate Crossing"
    for visible, slugs in (
        (visibility.PUBLIC, ["khorgos"]),
        (visibility.EVERYTHING, [SLUG]),
    ):
        results = search.lookup(query, source_language="en", visible=visible)
        assert [result.concept.slug for result in results] == slugs


def test_checking_a_translation_reports_nothing_about_an_internal_concept(hidden):
    hidden()
    source, target = "The Zephyrgate Accord.", "Зефиргейтский договор."
    kwargs = {"source_language": "en", "target_language": "ru"}
    assert qa.check_translation(source, target, **kwargs) == []
    findings = qa.check_translation(
        source, target, **kwargs, visible=visibility.EVERYTHING
    )
    assert [(f.kind, f.concept.slug) for f in findings] == [("deprecated", SLUG)]


def test_an_internal_concept_made_public_is_recognised_at_once(hidden):
    concept = hidden()["concept"]
    assert matching.find_terms("Zephyrgate Accord", language="en") == []
    concept.visibility = Concept.Visibility.PUBLIC
    concept.save()
    (hit,) = matching.find_terms("Zephyrgate Accord", language="en")
    assert hit.term.concept.slug == SLUG


def test_an_export_by_the_slug_of_an_internal_concept_is_refused_as_unknown(hidden):
    hidden()
    with pytest.raises(NotFound) as error:
        exporter.select_concepts(slugs=[SLUG])
    assert error.value.field == "concept"
    assert exporter.select_concepts(slugs=[SLUG], visible=visibility.EVERYTHING)


# The answer cache


def test_a_lookup_cached_for_a_viewer_is_not_served_to_an_anonymous_user(
    hidden, api, user_of, settings
):
    settings.GLOSSARY_ANSWER_CACHE_SECONDS = 300
    hidden()
    params = {"q": "zephyrg", "match": "prefix"}
    api.force_login(user_of("viewer"))
    assert api.get("/api/v1/lookup/", params).json()["count"] == 1
    api.logout()
    response = api.get("/api/v1/lookup/", params)
    assert response.json()["count"] == 0
    assert leaked(response) == []


def test_the_cache_keeps_one_answer_per_visibility(settings):
    settings.GLOSSARY_ANSWER_CACHE_SECONDS = 300
    answers = iter(range(10))
    for visible, expected in (
        (visibility.EVERYTHING, 0),
        (visibility.PUBLIC, 1),
        (visibility.EVERYTHING, 0),
    ):
        answer = caching.per_glossary_version(
            "test", ("q",), lambda: next(answers), visible=visible
        )
        assert answer == expected


# Drafts


@pytest.mark.parametrize("read", READS)
def test_a_draft_is_hidden_from_anonymous_users_when_the_setting_says_so(
    hidden, reader, settings, read
):
    settings.GLOSSARY_HIDE_DRAFTS_FROM_ANONYMOUS = True
    quote = hidden(visibility="public", status="draft")["quote"]
    response = READS[read].send(reader("anonymous"), quote=quote)
    assert response.status_code in (200, 404)
    assert leaked(response, read) == []


@pytest.mark.parametrize("read", READS)
def test_a_draft_hidden_from_anonymous_users_is_shown_to_signed_in_ones(
    hidden, reader, settings, read
):
    settings.GLOSSARY_HIDE_DRAFTS_FROM_ANONYMOUS = True
    quote = hidden(visibility="public", status="draft")["quote"]
    response = READS[read].send(reader("nobody"), quote=quote)
    assert response.status_code == 200
    assert leaked(response, read)


@pytest.mark.parametrize("status", ["draft", "in_review"])
def test_the_drafts_setting_hides_every_concept_not_yet_approved(
    hidden, api, settings, status
):
    settings.GLOSSARY_HIDE_DRAFTS_FROM_ANONYMOUS = True
    hidden(visibility="public", status=status)
    assert api.get("/api/v1/concepts/", {"q": "ephyrg"}).json()["count"] == 0
    settings.GLOSSARY_HIDE_DRAFTS_FROM_ANONYMOUS = False
    assert api.get("/api/v1/concepts/", {"q": "ephyrg"}).json()["count"] == 1


def test_an_internal_draft_stays_hidden_from_signed_in_users_without_the_right(
    hidden, reader, settings
):
    settings.GLOSSARY_HIDE_DRAFTS_FROM_ANONYMOUS = True
    hidden(visibility="internal", status="draft")
    response = reader("nobody").get("/api/v1/concepts/", {"q": "ephyrg"})
    assert response.json()["count"] == 0


def _statuses(found) -> list[str]:
    """Every concept status an answer gives for the test concept."""
    if isinstance(found, dict):
        own = found.get("concept") == SLUG or found.get("slug") == SLUG
        return [
            *([found.get("concept_status") or found.get("status")] if own else []),
            *(status for value in found.values() for status in _statuses(value)),
        ]
    if isinstance(found, list):
        return [status for value in found for status in _statuses(value)]
    return []


MARKED = {
    "lookup": "lookup",
    "term search": "term search",
    "concept list": "concept list",
    "concept": "concept",
    "quotes": "quotes of a document",
    "document": "document",
    "annotate": "annotate",
    "check": "check, missing",
}


@pytest.mark.parametrize("read", MARKED)
def test_a_draft_shown_to_anyone_is_marked_as_a_draft(hidden, api, read):
    quote = hidden(visibility="public", status="draft")["quote"]
    response = READS[MARKED[read]].send(api, quote=quote)
    statuses = _statuses(response.json())
    assert statuses and set(statuses) == {"draft"}


def test_a_draft_in_a_tbx_export_is_marked_as_a_draft(hidden, api):
    hidden(visibility="public", status="draft")
    response = api.get("/api/v1/export/tbx/", {"concept": SLUG})
    assert "<note>status: draft</note>" in body(response)


# Who sees what


@pytest.mark.parametrize(
    ("who", "hide_drafts", "expected"),
    [
        ("anonymous", False, visibility.Visible(internal=False, drafts=True)),
        ("anonymous", True, visibility.Visible(internal=False, drafts=False)),
        ("nobody", True, visibility.Visible(internal=False, drafts=True)),
        ("staff without a role", True, visibility.Visible(internal=False)),
        ("viewer", True, visibility.Visible(internal=True)),
        ("reviewer", False, visibility.Visible(internal=True)),
    ],
)
def test_what_each_reader_sees(user_of, settings, who, hide_drafts, expected):
    settings.GLOSSARY_HIDE_DRAFTS_FROM_ANONYMOUS = hide_drafts
    assert visibility.for_user(user_of(who)) == expected


def test_a_superuser_sees_internal_concepts():
    user = get_user_model().objects.create_superuser("test-root", password=None)
    assert visibility.for_user(user) == visibility.EVERYTHING
