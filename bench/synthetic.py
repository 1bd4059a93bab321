"""Synthetic glossaries of N concepts × 4–5 languages, loaded with bulk inserts.

Strings look like the real data: multi-word English names, Russian and Kazakh Cyrillic
words (with Kazakh-only letters), their 2021 Kazakh Latin transliteration, and Chinese
names of 2–6 common characters. Generation is deterministic for a given seed.
"""

import random
from collections.abc import Iterator

from django.db import connection, transaction

from glossary import normalize
from glossary.models import Concept, Term

EN_WORDS = [
    "Astana",
    "Almaty",
    "Caspian",
    "Eurasian",
    "Silk",
    "Road",
    "Belt",
    "Eastern",
    "Gate",
    "Northern",
    "Southern",
    "Central",
    "Asian",
    "International",
    "Financial",
    "Centre",
    "Logistics",
    "Hub",
    "Dry",
    "Port",
    "Railway",
    "Corridor",
    "Economic",
    "Zone",
    "Special",
    "Industrial",
    "Park",
    "Forum",
    "Summit",
    "Agency",
    "University",
    "Academy",
    "Council",
    "Ministry",
    "Committee",
    "Initiative",
    "Programme",
    "Strategy",
    "Partnership",
    "Cooperation",
    "Organisation",
    "Development",
    "Bank",
    "Fund",
    "Trade",
    "Investment",
    "Energy",
    "Transit",
    "Border",
    "Crossing",
    "Station",
    "Terminal",
    "Canal",
    "Valley",
    "River",
    "Lake",
    "Mountain",
    "Steppe",
    "Golden",
]
RU_SYLLABLES = [
    "ка",
    "ра",
    "на",
    "та",
    "ма",
    "ла",
    "са",
    "ба",
    "да",
    "за",
    "го",
    "ро",
    "но",
    "то",
    "мо",
    "ло",
    "со",
    "бо",
    "до",
    "зо",
    "ки",
    "ри",
    "ни",
    "ти",
    "ми",
    "ли",
    "си",
    "ку",
    "ру",
    "ну",
    "ту",
    "му",
    "лу",
    "су",
    "ста",
    "нов",
    "ская",
    "ский",
    "ный",
    "ция",
    "ние",
]
KK_SYLLABLES = [
    "қа",
    "ға",
    "ңа",
    "ә",
    "ө",
    "ұ",
    "ү",
    "і",
    "ша",
    "жа",
    "ба",
    "та",
    "ла",
    "ма",
    "на",
    "са",
    "да",
    "ра",
    "қы",
    "ғы",
    "ты",
    "лы",
    "мы",
    "ны",
    "сы",
    "ды",
    "ры",
    "жол",
    "тас",
    "көл",
    "тау",
    "қала",
    "бек",
    "ұлы",
]
ZH_CHARS = (
    "中国哈萨克斯坦阿拉木图霍尔果斯东门经济特区丝绸之路带一国际金融中心上海合作组织亚洲"
    "会议信任措施新华社西安连云港物流枢纽铁路口岸大学学院委员会部长论坛峰会战略伙伴关系"
    "发展银行基金贸易投资能源过境边境车站码头运河河湖山草原金色北南东西城市地区省"
)


def _words(rng: random.Random, pool, low: int, high: int, sep: str = " ") -> str:
    return sep.join(rng.choice(pool) for _ in range(rng.randint(low, high)))


def _cyrillic_word(rng: random.Random, syllables) -> str:
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()


def concept_terms(rng: random.Random, n: int) -> dict[str, str]:
    """The preferred terms of synthetic concept n, one per language."""
    # The number keeps every term unique, as real names are; it is spelled out so
    # that word boundaries and keys behave as for real names.
    tag = f"{n:x}"
    kk = " ".join(_cyrillic_word(rng, KK_SYLLABLES) for _ in range(rng.randint(1, 3)))
    terms = {
        "en": f"{_words(rng, EN_WORDS, 1, 4)} {tag}",
        "ru": " ".join(
            _cyrillic_word(rng, RU_SYLLABLES) for _ in range(rng.randint(1, 3))
        )
        + f" {tag}",
        "kk": f"{kk} {tag}",
        "zh-Hans": "".join(rng.choice(ZH_CHARS) for _ in range(rng.randint(2, 6)))
        + tag,
    }
    if n % 2 == 0:
        terms["kk-Latn"] = normalize.kazakh_latin(terms["kk"])
    return terms


def generate(concepts: int, *, seed: int = 1, batch: int = 5000) -> int:
    """Insert `concepts` synthetic concepts and their terms; return the term count."""
    rng = random.Random(seed)
    start = Concept.objects.filter(slug__startswith="syn-").count()
    total = 0
    for offset in range(start, start + concepts, batch):
        size = min(batch, start + concepts - offset)
        with transaction.atomic():
            created = Concept.objects.bulk_create(
                [
                    Concept(
                        slug=f"syn-{n}",
                        kind="organization",
                        status="approved",
                        domain="synthetic",
                    )
                    for n in range(offset, offset + size)
                ]
            )
            if connection.vendor != "postgresql":  # SQLite returns no ids before 3.35
                created = list(
                    Concept.objects.filter(slug__in=[c.slug for c in created]).order_by(
                        "pk"
                    )
                )
            terms = list(_terms(rng, created, offset))
            Term.objects.bulk_create(terms, batch_size=2000)
            total += len(terms)
    return total


def _terms(rng: random.Random, concepts, offset: int) -> Iterator[Term]:
    for concept in concepts:
        n = int(concept.slug.removeprefix("syn-"))
        for language, text in concept_terms(rng, n).items():
            term = Term(concept=concept, language=language, text=text)
            term.fill_keys()
            yield term
