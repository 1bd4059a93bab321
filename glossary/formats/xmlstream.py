"""Indented XML written as text and handed out in UTF-8 chunks.

Writers put an element on each line with plain string operations, escaped as lxml's
serializer escapes, byte for byte (tests/formats/test_xmlstream.py holds the two side
by side). lxml's incremental writer, an element at a time, and lxml trees, an entry at
a time, each took longer than all the rest of an export.
"""

import re
from collections.abc import Callable, Iterator

DECLARATION = "<?xml version='1.0' encoding='utf-8'?>"
INDENT = "  "
CHUNK_LINES = 1000  # about 64 KB

# XML 1.0 cannot carry C0 controls other than tab and newlines, lone surrogates or
# U+FFFE/U+FFFF; an XML parser refuses a file holding one.
_NOT_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_NOT_XML_TEXT = re.compile(f"[{_NOT_XML}]")
# Most values hold none of these, and one search finds that fastest.
_TEXT_SPECIAL = re.compile(f"[&<>\r{_NOT_XML}]")
_ATTRIBUTE_SPECIAL = re.compile(f'[&<>"\r\n\t{_NOT_XML}]')


def xml_text(text: str) -> str:
    """The text without the characters XML 1.0 cannot hold."""
    return _NOT_XML_TEXT.sub("", text)


def escape(text: str) -> str:
    """Text as element content: &, <, > and CR as references, non-XML dropped."""
    if _TEXT_SPECIAL.search(text) is None:
        return text
    return (
        xml_text(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "&#13;")
    )


def escape_attribute(value: str) -> str:
    """A value between double quotes: as text, plus ", LF and tab as references."""
    if _ATTRIBUTE_SPECIAL.search(value) is None:
        return value
    return (
        escape(value)
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
    )


def _attributes(attrib: dict[str, str] | None) -> str:
    rendered = ""
    if attrib:
        for name, value in attrib.items():
            rendered += f' {name}="{escape_attribute(value)}"'
    return rendered


class Tag:
    """An element name with attributes that never change, rendered once.

    The writer takes one wherever it takes a name and attributes; hot paths name
    their elements this way, as rendering attributes costs more than the rest.
    """

    __slots__ = ("start", "end")

    def __init__(self, name: str, attrib: dict[str, str] | None = None) -> None:
        self.start = f"<{name}{_attributes(attrib)}>"
        self.end = f"</{name}>"


class XmlWriter:
    """Elements as lines of text, two spaces of indent per level."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._ends: list[str] = []  # the end tags of the open elements
        self._newline = "\n"  # what starts the line of a child of the open element

    def element(
        self, tag: str | Tag, attrib: dict[str, str] | None = None
    ) -> "XmlWriter":
        """Open an element on a new line; its children are indented one level more.

        Use it in a `with` block, which closes the element on a line of its own.
        """
        if tag.__class__ is Tag:
            start, end = tag.start, tag.end
        else:
            attributes = _attributes(attrib) if attrib else ""
            start, end = f"<{tag}{attributes}>", f"</{tag}>"
        # Nothing, not even whitespace, may stand outside the root element.
        self.lines.append(f"{self._newline}{start}" if self._ends else start)
        self._ends.append(end)
        self._newline += INDENT
        return self

    def __enter__(self) -> "XmlWriter":
        return self

    def __exit__(self, *exc_info) -> None:
        self._newline = self._newline[: -len(INDENT)]
        self.lines.append(f"{self._newline}{self._ends.pop()}")

    def leaf(
        self, tag: str | Tag, text: str, attrib: dict[str, str] | None = None
    ) -> None:
        """Write an element holding only text, on a line of its own."""
        if tag.__class__ is Tag:
            self.lines.append(f"{self._newline}{tag.start}{escape(text)}{tag.end}")
        else:
            attributes = _attributes(attrib) if attrib else ""
            self.lines.append(
                f"{self._newline}<{tag}{attributes}>{escape(text)}</{tag}>"
            )

    def wrapped(
        self, tag: str, child: str, text: str, attrib: dict[str, str] | None = None
    ) -> None:
        """Write an element holding one text-only child, on one line."""
        attributes = _attributes(attrib) if attrib else ""
        self.lines.append(
            f"{self._newline}<{tag}><{child}{attributes}>{escape(text)}</{child}>"
            f"</{tag}>"
        )


def stream(
    write: Callable[[XmlWriter], Iterator[None]], *, doctype: str | None = None
) -> Iterator[bytes]:
    """Run a writer that yields after each unit; hand out what it wrote in chunks."""
    writer = XmlWriter()
    lines = writer.lines
    lines.append(f"{DECLARATION}\n")
    if doctype:
        lines.append(f"{doctype}\n")
    for _ in write(writer):
        if len(lines) >= CHUNK_LINES:
            yield _encode(lines)
    lines.append("\n")
    yield _encode(lines)


def _encode(lines: list[str]) -> bytes:
    """The lines as UTF-8; the list is emptied."""
    text = "".join(lines)
    lines.clear()
    return text.encode()
