import pytest

pytestmark = pytest.mark.django_db


def test_lookup_of_khorgos_gives_chinese_russian_and_kazakh_with_the_quote(api):
    params = {"q": "Khorgos", "from": "en", "to": "zh-Hans,ru,kk"}
    body = api.get("/api/v1/lookup/", params).json()
    (result,) = [r for r in body["results"] if r["concept"] == "khorgos"]
    assert result["translations"]["zh-Hans"][0]["text"] == "霍尔果斯"
    assert result["translations"]["ru"][0]["text"] == "Хоргос"
    assert result["translations"]["kk"][0]["text"] == "Қорғас"
    quote = result["quotes"][0]
    (attested,) = [t for t in quote["terms"] if t["text"] == "Khorgos"]
    start, end = attested["span"]
    assert quote["excerpt"][start:end] == "Khorgos"


def test_lookup_answers_a_language_alias_under_its_canonical_tag(api, make_concept):
    make_concept(en="Test Khorgos", zh_hans="测试霍尔果斯")
    params = {"q": "test khorgos", "from": "en-US", "to": "zh-CN"}
    body = api.get("/api/v1/lookup/", params).json()
    assert body["source"] == "en" and body["targets"] == ["zh-Hans"]
    assert body["results"][0]["translations"]["zh-Hans"][0]["text"] == "测试霍尔果斯"


def test_lookup_ignores_case_and_apostrophe_variants(api):
    for query in ["Xi'an", "Xi’an", "XI`AN"]:
        body = api.get("/api/v1/lookup/", {"q": query, "from": "en"}).json()
        assert [r["concept"] for r in body["results"]] == ["xian"], query


def test_lookup_of_a_deprecated_term_says_what_to_use_instead(api):
    params = {"q": "One Belt, One Road", "from": "en", "to": "ru"}
    body = api.get("/api/v1/lookup/", params).json()
    (result,) = body["results"]
    assert result["concept"] == "belt-and-road-initiative"
    assert result["deprecated"] is True
    assert result["matched"][0]["status"] == "deprecated"
    assert result["use_instead"][0]["text"] == "Belt and Road Initiative"
    assert result["translations"]["ru"][0]["status"] == "preferred"


def test_lookup_lists_preferred_first_and_marks_deprecated_terms(api, make_concept):
    make_concept(
        en="Test Academy",
        ru=[
            ("Тест КАОН", "deprecated"),
            ("Тест академия", "preferred"),
            ("Тест АОН", "admitted"),
        ],
    )
    body = api.get("/api/v1/lookup/", {"q": "test academy", "to": "ru"}).json()
    terms = body["results"][0]["translations"]["ru"]
    assert [(t["text"], t["status"], t["deprecated"]) for t in terms] == [
        ("Тест академия", "preferred", False),
        ("Тест АОН", "admitted", False),
        ("Тест КАОН", "deprecated", True),
    ]


def test_lookup_from_russian_finds_english(api, make_concept):
    make_concept(en="Test Khorgos", ru="Тест Хоргос")
    body = api.get(
        "/api/v1/lookup/", {"q": "тест хоргос", "from": "ru-RU", "to": "en"}
    ).json()
    assert body["results"][0]["translations"]["en"][0]["text"] == "Test Khorgos"


def test_lookup_without_targets_gives_every_other_language(api, make_concept):
    make_concept(en="Test Khorgos", ru="Тест Хоргос", kk="Тест Қорғас")
    body = api.get("/api/v1/lookup/", {"q": "test khorgos"}).json()
    assert set(body["results"][0]["translations"]) == {"ru", "kk"}
    assert "en" not in body["targets"]


def test_lookup_finds_nothing_for_an_unknown_term(api):
    body = api.get("/api/v1/lookup/", {"q": "Atlantis", "from": "en"}).json()
    assert body == {**body, "count": 0, "results": []}


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"q": "", "from": "en"}, "q", "blank"),
        ({"from": "en"}, "q", "required"),
        ({"q": "–,.", "from": "en"}, "q", "letter or digit"),
        ({"q": "Khorgos", "from": "fr"}, "from", "Unknown language 'fr'"),
        ({"q": "Khorgos", "to": "ru,de"}, "to", "'de'"),
    ],
)
def test_lookup_answers_bad_input_with_a_400_naming_the_field(
    api, params, field, words
):
    response = api.get("/api/v1/lookup/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field
    assert words in body["error"]


def test_lookup_runs_a_fixed_number_of_queries(
    api, make_concept, django_assert_max_num_queries
):
    for n in range(12):
        make_concept(
            en=[("Test Same", "preferred")], ru=f"Тест {n}", zh_hans=f"测试{n}"
        )
    # The glossary version, the matching terms, then concepts, terms, quotes and
    # definitions of all results at once.
    with django_assert_max_num_queries(6):
        body = api.get("/api/v1/lookup/", {"q": "test same"}).json()
    assert body["count"] == 12


def test_a_repeated_lookup_is_answered_from_the_cache_after_one_query(
    api, django_assert_num_queries
):
    first = api.get("/api/v1/lookup/", {"q": "Khorgos", "to": "ru"}).json()
    with django_assert_num_queries(1):  # the glossary version, nothing else
        again = api.get("/api/v1/lookup/", {"q": "Khorgos", "to": "ru"}).json()
    assert again == first


def test_an_edit_is_seen_by_the_next_lookup_despite_the_cache(api, make_concept):
    concept = make_concept(en="Test Cached", ru="Тест старый")
    before = api.get("/api/v1/lookup/", {"q": "test cached", "to": "ru"}).json()
    assert before["results"][0]["translations"]["ru"][0]["text"] == "Тест старый"
    term = concept.terms.get(language="ru")
    term.text = "Тест новый"
    term.save()
    after = api.get("/api/v1/lookup/", {"q": "test cached", "to": "ru"}).json()
    assert after["results"][0]["translations"]["ru"][0]["text"] == "Тест новый"


def test_the_cache_keeps_answers_to_different_queries_apart(api):
    khorgos = api.get("/api/v1/lookup/", {"q": "Khorgos", "to": "ru"}).json()
    astana = api.get("/api/v1/lookup/", {"q": "Astana", "to": "ru"}).json()
    zh = api.get("/api/v1/lookup/", {"q": "Khorgos", "to": "zh-Hans"}).json()
    assert khorgos["results"][0]["concept"] == "khorgos"
    assert astana["results"][0]["concept"] == "astana"
    assert list(zh["results"][0]["translations"]) == ["zh-Hans"]


def concepts(api, params) -> list[str]:
    body = api.get("/api/v1/lookup/", params).json()
    return [result["concept"] for result in body["results"]]


@pytest.mark.parametrize(
    ("q", "source"),
    [
        ("Қорғас", "kk-Latn"),
        ("Qorğas", "kk"),
        ("Qorgas", "kk"),
        ("Qorgas", "kk-Latn"),
        ("霍爾果斯", "zh-Hans"),
        ("霍尔果斯", "zh-Hant"),
        ("huoerguosi", "zh-Hans"),
        ("Huò'ěrguǒsī", "zh-CN"),
        ("Huo Er Guo Si", "zh-Hant"),
        ("KHORGOS", "en"),
        ("Хоргос", "ru"),
    ],
)
def test_every_script_and_spelling_of_khorgos_finds_it(api, q, source):
    assert concepts(api, {"q": q, "from": source}) == ["khorgos"]


@pytest.mark.parametrize(
    ("q", "source"),
    [("Nūrly jol", "kk-Latn"), ("Nurly Zhol", "kk"), ("Nurly Jol", "en")],
)
def test_official_and_unofficial_spellings_find_nurly_zhol(api, q, source):
    assert concepts(api, {"q": q, "from": source}) == ["nurly-zhol"]


@pytest.mark.parametrize(
    ("q", "source", "concept"),
    [
        ("в Хоргосе", "ru", "khorgos"),
        ("Нұрлы жолдың", "kk", "nurly-zhol"),
        (
            "Шанхайской организации сотрудничества",
            "ru",
            "shanghai-cooperation-organisation",
        ),
        ("Қытайдың", "kk", "china"),
    ],
)
def test_inflected_forms_find_their_concepts(api, q, source, concept):
    assert concepts(api, {"q": q, "from": source}) == [concept]


def test_a_kazakh_lookup_matches_both_scripts(api):
    body = api.get("/api/v1/lookup/", {"q": "Qorgas", "from": "kk", "to": "en"}).json()
    (result,) = body["results"]
    assert [t["text"] for t in result["matched"]] == ["Қорғас", "Qorğas"]
    assert result["translations"]["en"][0]["text"] == "Khorgos"
    assert result["score"] is None


@pytest.mark.parametrize(
    ("q", "concept"),
    [
        ("Khorgas", "khorgos"),
        ("Khorgoss", "khorgos"),
        ("Nurly Jol", "nurly-zhol"),
        ("Lu-Ban workshop", "lu-ban-workshop"),
        ("Shanghai Cooperaton Organisation", "shanghai-cooperation-organisation"),
    ],
)
def test_fuzzy_lookup_finds_close_spellings_with_a_score(api, q, concept):
    params = {"q": q, "from": "en", "to": "ru", "match": "fuzzy"}
    first = api.get("/api/v1/lookup/", params).json()["results"][0]
    assert first["concept"] == concept
    assert 70 <= first["score"] <= 100


def test_fuzzy_lookup_scores_a_misspelling_below_an_exact_spelling(api):
    params = {"from": "en", "match": "fuzzy"}
    exact = api.get("/api/v1/lookup/", {**params, "q": "Khorgos"}).json()
    close = api.get("/api/v1/lookup/", {**params, "q": "Khorgoss"}).json()
    assert exact["results"][0]["score"] == 100
    assert 70 <= close["results"][0]["score"] < 100


def test_fuzzy_lookup_finds_nothing_for_a_far_query(api):
    params = {"q": "Atlantis", "from": "en", "match": "fuzzy"}
    assert api.get("/api/v1/lookup/", params).json()["count"] == 0


def test_an_unknown_match_mode_is_a_400(api):
    response = api.get("/api/v1/lookup/", {"q": "Khorgos", "match": "regex"})
    assert (response.status_code, response.json()["field"]) == (400, "match")


def test_fuzzy_lookup_runs_a_fixed_number_of_queries(
    api, make_concept, django_assert_max_num_queries
):
    for n in range(12):
        make_concept(en=f"Test Zhetysu Gate {n}", ru=f"Тест {n}")
    with django_assert_max_num_queries(6):
        body = api.get(
            "/api/v1/lookup/", {"q": "Test Zhetysu Gaet", "match": "fuzzy"}
        ).json()
    assert body["count"] == 12


@pytest.mark.parametrize(
    "path", ["/api/v1/lookup/", "/api/v1/terms/", "/api/v1/concepts/"]
)
def test_a_query_longer_than_any_term_is_a_400(api, path):
    response = api.get(path, {"q": "қ" * 301, "from": "kk"})
    assert response.status_code == 400
    assert response.json()["field"] == "q"
    assert "at most 300" in response.json()["error"]
