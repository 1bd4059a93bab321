"""Search keys: the one place where a text is folded for matching.

The same functions build the key stored with a term and the key of a query, so a lookup
matches whatever way the user typed apostrophes, dashes, quotes, spaces or case.
"""

import re
import unicodedata

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
