"""Indented XML written through lxml's incremental writer and handed out in chunks."""

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from lxml import etree

CHUNK_BYTES = 64 * 1024

# XML 1.0 cannot carry C0 controls other than tab and newlines, lone surrogates or
# U+FFFE/U+FFFF; lxml refuses them, which would cut a download off halfway.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """The text without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)


class XmlWriter:
    """Elements opened and closed on lxml's `xmlfile`, two spaces per level."""

    def __init__(self, xf) -> None:
        self._xf = xf
        self._depth = 0
        self._in_root = False

    def _newline(self) -> None:
        # Nothing, not even whitespace, may stand outside the root element.
        if self._in_root:
            self._xf.write("\n" + "  " * self._depth)
        self._in_root = True

    @contextmanager
    def element(self, tag: str, attrib: dict[str, str] | None = None, **kwargs):
        """Open an element on a new line; its children are indented one level more."""
        self._newline()
        with self._xf.element(tag, attrib or {}, **kwargs):
            self._depth += 1
            yield
            self._depth -= 1
            self._newline()

    def leaf(self, tag: str, text: str, attrib: dict[str, str] | None = None) -> None:
        """Write an element holding only text, on a line of its own."""
        self._newline()
        with self._xf.element(tag, attrib or {}):
            self._xf.write(xml_text(text))

    def wrapped(
        self, tag: str, child: str, text: str, attrib: dict[str, str] | None = None
    ) -> None:
        """Write an element holding one text-only child, on one line."""
        self._newline()
        with self._xf.element(tag), self._xf.element(child, attrib or {}):
            self._xf.write(xml_text(text))


def stream(
    write: Callable[[XmlWriter], Iterator[None]], *, doctype: str | None = None
) -> Iterator[bytes]:
    """Run a writer that yields after each unit; hand out what it wrote in chunks."""
    buffer = io.BytesIO()
    with etree.xmlfile(buffer, encoding="utf-8") as xf:
        xf.write_declaration()
        if doctype:
            xf.write_doctype(doctype)
        for _ in write(XmlWriter(xf)):
            xf.flush()
            if buffer.tell() >= CHUNK_BYTES:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue() + b"\n"
