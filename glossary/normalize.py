"""Search keys: the one place where a text is folded for matching.

The same functions build the key stored with a term and the key of a query, so a lookup
matches whatever way the user typed apostrophes, dashes, quotes, spaces or case.
"""

import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache

import opencc
import pypinyin
from pypinyin import Style

from . import languages

# Typographic variants met in real texts, folded to one ASCII character each.
APOSTROPHES = "'’‘ʼʻ`´′ʹ"
DASHES = "-‐‑‒–—―−﹘﹣－"
QUOTES = '"“”„‟«»‹›「」『』〝〞＂'

_FOLD_TABLE = str.maketrans(
    {
        **{char: "'" for char in APOSTROPHES},
        **{char: "-" for char in DASHES},
        **{char: '"' for char in QUOTES},
    }
)
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """NFKC, case folding, one apostrophe, dash and quote form, single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_FOLD_TABLE)
    return _SPACES.sub(" ", text).strip()


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def search_key(text: str) -> str:
    """The key stored with a term and computed for a query: folded, without punctuation.

    Apostrophes and full stops join ("Xi’an" → "xian", "U.S." → "us"); other
    punctuation separates words ("One Belt, One Road" and "One Belt – One Road" →
    "one belt one road").
    """
    folded = fold(text).replace("'", "").replace(".", "")
    bare = "".join(" " if _is_punctuation(char) else char for char in folded)
    return _SPACES.sub(" ", bare).strip()


def _variant_class(char: str) -> str:
    for variants in (APOSTROPHES, DASHES, QUOTES):
        if char in variants:
            return "[" + re.escape(variants) + "]"
    if char.isspace():
        return r"\s+"
    return re.escape(char)


def find_span(text: str, term: str) -> tuple[int, int] | None:
    """Where `term` first occurs in `text`, ignoring case and typographic variants.

    Offsets are code points into `text`, so `text[start:end]` is the occurrence.
    """
    if not term.strip():
        return None
    pattern = "".join(_variant_class(char) for char in term.strip())
    pattern = re.sub(r"(\\s\+)+", r"\\s+", pattern)
    match = re.search(pattern, text, flags=re.IGNORECASE)
    return (match.start(), match.end()) if match else None


# Kazakh Cyrillic → the 2021 Kazakh Latin alphabet (as approved in January 2021), letter
# by letter. Letters found only in Russian loanwords follow the same decree's rules.
_KAZAKH_LATIN = {
    "а": "a",
    "ә": "ä",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "ğ",
    "д": "d",
    "е": "e",
    "ё": "io",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "қ": "q",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "ñ",
    "о": "o",
    "ө": "ö",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "ū",
    "ү": "ü",
    "ф": "f",
    "х": "h",
    "һ": "h",
    "ц": "ts",
    "ч": "ç",
    "ш": "ş",
    "щ": "şş",
    "ъ": "",
    "ы": "y",
    "і": "ı",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
# Upper case: И and Й are İ (dotted), І is I (dotless), as in Turkish orthography.
_KAZAKH_LATIN_UPPER = {"и": "İ", "й": "İ", "і": "I", "ё": "İo", "ю": "İu", "я": "İa"}


def kazakh_latin(text: str) -> str:
    """Transliterate Kazakh Cyrillic into the 2021 Latin alphabet (Қорғас → Qorğas)."""
    out = []
    for char in text:
        lower = char.lower()
        latin = _KAZAKH_LATIN.get(lower)
        if latin is None:
            out.append(char)
        elif char != lower:
            out.append(_KAZAKH_LATIN_UPPER.get(lower) or latin.capitalize())
        else:
            out.append(latin)
    return "".join(out)


_KAZAKH_LATIN_TABLE = str.maketrans(_KAZAKH_LATIN)


# Loose keys: one ASCII-ish Latin spelling for the ways a name is written in any script.
# Cyrillic (Kazakh, and Russian, whose letters are a subset) goes to the 2021 Kazakh
# Latin alphabet, then diacritics go, then the common unofficial spellings fold with the
# official ones: Қорғас, Qorğas, Qorgas and Korgas meet, as do Нұрлы жол, Nūrly jol and
# Nurly Zhol. Letters that carry no combining mark to strip are mapped here.
_BARE_LETTERS = str.maketrans(
    {"ı": "i", "ə": "a", "ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe"}
)
# ё is written е in most Russian texts; й and the others are kept as letters.
_RUSSIAN_YO = str.maketrans({"ё": "е"})
_UNOFFICIAL = {"zh": "j", "kh": "h", "gh": "g", "sh": "s", "ch": "c", "q": "k"}
_UNOFFICIAL_RE = re.compile("|".join(_UNOFFICIAL))

# Han ideographs (CJK Unified, Extension A and beyond, Compatibility). Chinese has no
# spaces, so each character is a word of its own for recognition.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RE = re.compile(f"[{_HAN}]")
# Combining marks count as part of a word, so decomposed (NFD) text splits like NFC.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
_LETTER = f"(?:[^\\W_{_HAN}]|[{_MARKS}])"
# A word: letters and digits, joined across apostrophes and full stops as search_key
# joins them (Xi’an, U.S.); every Han character alone.
_WORD_RE = re.compile(f"[{_HAN}]|{_LETTER}+(?:[{re.escape(APOSTROPHES)}.]{_LETTER}+)*")


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare).translate(_BARE_LETTERS)


@cache
def _t2s():
    # OpenCC loads its dictionaries once per process, on first use.
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Chinese traditional characters as simplified ones (霍爾果斯 → 霍尔果斯)."""
    return _t2s().convert(text) if _HAN_RE.search(text) else text


def _loose(key: str) -> str:
    latin = key.translate(_RUSSIAN_YO).translate(_KAZAKH_LATIN_TABLE)
    bare = _strip_marks(simplified(latin))
    return _UNOFFICIAL_RE.sub(lambda match: _UNOFFICIAL[match[0]], bare)


def loose_key(text: str) -> str:
    """The search key folded across scripts, diacritics and unofficial spellings.

    Қорғас, Qorğas and Qorgas → "korgas"; Нұрлы жол, Nūrly jol and Nurly Zhol →
    "nurly jol"; 霍爾果斯 → 霍尔果斯. Lookups compare it with the query's, so a user
    finds a term in whatever script or spelling they type it.
    """
    return _loose(search_key(text))


def compact_key(text: str) -> str:
    """The loose key without spaces: what a query is compared with pinyin keys by."""
    return _loose(search_key(text).replace(" ", ""))


def pinyin_key(text: str) -> str:
    """The toneless pinyin of a Chinese text, as a compact key (霍尔果斯 → huoerguosi).

    Empty for a text without Chinese characters. pypinyin reads polyphonic characters
    by its phrase dictionary (重庆 → chongqing).
    """
    if not _HAN_RE.search(text):
        return ""
    syllables = pypinyin.lazy_pinyin(simplified(text), style=Style.NORMAL, v_to_u=True)
    return compact_key("".join(syllables))


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """The words of a text with their offsets: (start, end, text[start:end])."""
    for match in _WORD_RE.finditer(text):
        yield match.start(), match.end(), match[0]


# Inflection. Recognition compares words by a key per language that forgives the
# endings a term takes in running text.
#
# Russian: a light stemmer for nouns and adjectives (after Savoy's, as in Lucene's
# RussianLightStemmer): the longest case ending goes, then -ов/-ев, then final vowels,
# keeping three letters. Snowball (PyStemmer) was measured first and rejected: it reads
# names in -ан/-ай as verbs and stems their case forms apart (Казахстан → казахста but
# Казахстане → казахстан; Астана → аста, Астане → астан; Китай → кита, Китая → кит),
# and names are what this glossary is made of. Terms are noun phrases, so a stemmer
# that knows only nominal endings conflates what matters and nothing else.
# Longest first: -ией goes whole, not as -й.
_RUSSIAN_ENDINGS = (
    *("иями", "оями"),
    *("иям", "иях", "оях", "ями", "оям", "ами", "его", "ему", "ими", "ого", "ому"),
    "ыми",
    *("ая", "яя", "ях", "юю", "ах", "ею", "их", "ия", "ию", "ою", "ую", "ям", "ых"),
    *("ея", "ам", "ем", "ей", "ий", "ие", "ое", "ой", "ый", "ом", "ые", "ью", "ми"),
    *("им", "ым", "ии"),
    *"аеиоуйыьюя",
)
_RUSSIAN_VOWELS = "аеиоуыэюяйь"


def russian_stem(word: str) -> str:
    """A Russian word without its case ending (Астане, Астаной → астан)."""
    word = word.translate(_RUSSIAN_YO)
    for ending in _RUSSIAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[: -len(ending)]
            break
    # Surnames end in -ов/-ев (Токаев) and keep it through their cases (Токаева), as
    # genitive plurals (членов) lose it: removing it always brings both together.
    if word.endswith(("ов", "ев")) and len(word) >= 5:
        word = word[:-2]
    while len(word) > 3 and word[-1] in _RUSSIAN_VOWELS:
        word = word[:-1]
    return word


# Kazakh: no stemmer or analyzer for Kazakh works offline from PyPI, so a term's last
# word is matched as a prefix of the text's word and the rest must be an inflectional
# ending: plural, then possessive, then case (Нұрлы жол + дың, ұйымы + ның, Қорғас +
# та). Only the last word of a Kazakh noun phrase inflects, so the other words match
# whole. Endings are checked on loose keys, where ы is y, і is i, and ğ, q, ñ are g, k,
# n; they harmonize: front endings (e, i) after a front vowel, back ones (a, y) after a
# back one. The loose key cannot tell ä, ö, ü from a, o, u, nor і from и and й (all
# i: Қытай is back, Бейжің front), so after those both are accepted; -men/-ben/-pen
# (instrumental) do not harmonize. Stems are never cut, so a
# short word is not taken for a longer term's stem (алма is not Алматы).
_KAZAKH_ENDINGS = {
    harmony: re.compile(
        f"(?:{plural})?(?:{possessive})?(?:{case}|men|ben|pen)?",
    )
    for harmony, plural, possessive, case in (
        (
            "back",
            "lar|dar|tar",
            "ymyz|ynyz|myz|nyz|ym|yn|sy|m|n|y",
            "ndagy|dagy|tagy|ndan|nyn|dyn|tyn|dan|tan|nan|nda|ga|ka|na|ny|dy|ty|da|ta"
            "|a|n",
        ),
        (
            "front",
            "ler|der|ter",
            "imiz|iniz|miz|niz|im|in|si|m|n|i",
            "ndegi|degi|tegi|nden|nin|din|tin|den|ten|nen|nde|ge|ke|ne|ni|di|ti|de|te"
            "|e|n",
        ),
    )
}
_FRONT_VOWELS, _BACK_VOWELS, _VOWELS = "e", "y", "aeiouy"
# Before a vowel, a final k or p is voiced: әріптестік → әріптестігі, кітап → кітабы.
_VOICED = {"k": "g", "p": "b"}
_DEVOICED = {voiced: plain for plain, voiced in _VOICED.items()}


def kazakh_ending(stem: str, ending: str, *, voiced: bool = False) -> bool:
    """Whether a (loose) Kazakh stem can take this (loose) ending.

    With `voiced`, the stem's last consonant was voiced (kitab-y for kitap), which
    only happens before a vowel.
    """
    vowels = [char for char in stem if char in _VOWELS]
    if not ending or not vowels or (voiced and ending[0] not in _VOWELS):
        return False
    harmonies = (
        ["front"]
        if vowels[-1] in _FRONT_VOWELS
        else ["back"]
        if vowels[-1] in _BACK_VOWELS
        else ["back", "front"]
    )
    return any(_KAZAKH_ENDINGS[harmony].fullmatch(ending) for harmony in harmonies)


def kazakh_stems(word: str) -> list[tuple[str, bool]]:
    """The forms a (loose) Kazakh word takes before endings, and whether voiced."""
    forms = [(word, False)]
    if len(word) > 2 and word[-1] in _VOICED:
        forms.append((word[:-1] + _VOICED[word[-1]], True))
    return forms


def _english_singular(word: str) -> str:
    # Plurals and possessives ("Lu Ban Workshops", "China’s"), not a full stemmer:
    # Snowball's English would also take "moment" for "momentous" and "pair" for the
    # deprecated "pairing".
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _language_code(tag: str) -> str | None:
    language = languages.LANGUAGES.get(tag)
    return language.language if language else None


def comparable_languages(tag: str) -> tuple[str, ...]:
    """The tags whose match keys compare with this one's: its language in every script.

    Kazakh words are keyed in loose Latin from either script and Chinese characters as
    simplified, so kk matches kk-Latn terms and zh-Hans matches zh-Hant ones.
    """
    code = _language_code(tag)
    return tuple(t for t in languages.TAGS if _language_code(t) == code)


def inflects_at_end(tag: str) -> bool:
    """Whether a term's last word takes endings in running text, as in Kazakh.

    Recognition then matches that word as a prefix and checks the rest with
    `kazakh_ending`.
    """
    return _language_code(tag) == "kk"


@lru_cache(maxsize=100_000)  # bounded: words come from submitted texts
def word_key(word: str, language: str) -> str:
    """One word as recognition compares it in a language (see `match_key`)."""
    key = search_key(word).replace(" ", "")
    language = _language_code(language)
    if language == "ru":
        return russian_stem(key)
    if language == "en":
        return _loose(_english_singular(key))
    return _loose(key)


def match_key(text: str, language: str) -> str:
    """The words of a term or text as recognition compares them in its language.

    Russian words are stemmed (Шанхайская организация → шанхайск организац), English
    ones made singular, Kazakh ones loose in both scripts (Нұрлы жол, Nūrly jol → nurly
    jol) and matched with their endings by `kazakh_ending`; each Chinese character is a
    word, simplified (霍爾果斯 → 霍 尔 果 斯).
    """
    keys = (word_key(word, language) for _, _, word in words(text))
    return " ".join(key for key in keys if key)


def query_match_keys(text: str, language: str) -> set[str]:
    """The match keys of a query and of the Kazakh forms it may inflect.

    A Kazakh query's last word may carry an ending (Нұрлы жолдың), so the keys of its
    possible uninflected forms come along (nurly jol).
    """
    key = match_key(text, language)
    keys = {key} if key else set()
    if not inflects_at_end(language) or not key:
        return keys
    head, _, last = key.rpartition(" ")
    prefix = f"{head} " if head else ""
    for cut in range(2, len(last)):
        stem, ending = last[:cut], last[cut:]
        if kazakh_ending(stem, ending):
            keys.add(prefix + stem)
        if stem[-1] in _DEVOICED and kazakh_ending(stem, ending, voiced=True):
            keys.add(prefix + stem[:-1] + _DEVOICED[stem[-1]])
    return keys
