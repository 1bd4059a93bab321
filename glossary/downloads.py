"""Exports as HTTP downloads, shared by the faces that offer them (admin, API, site)."""

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

from .exporter import Export


def download(export: Export) -> StreamingHttpResponse:
    """The export streamed as an attachment under its dated file name."""
    return StreamingHttpResponse(
        export.chunks,
        content_type=export.content_type,
        headers={
            "Content-Disposition": content_disposition_header(True, export.filename)
        },
    )
