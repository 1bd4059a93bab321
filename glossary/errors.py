"""Domain errors, raised by glossary modules and turned into HTTP or CLI errors."""


class GlossaryError(Exception):
    """An error a person can act on, with the field or parameter it concerns."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class UnknownLanguage(GlossaryError):
    code = "unknown_language"


class InvalidQuery(GlossaryError):
    code = "invalid_query"


class TextTooLarge(GlossaryError):
    """A submitted text is over GLOSSARY_MAX_TEXT_BYTES."""

    code = "text_too_large"
    status = 413


class NotFound(GlossaryError):
    code = "not_found"
    status = 404


class SeedError(GlossaryError):
    """A seed file is wrong; the message names the file and the entry."""

    code = "invalid_seed"


class UnknownFormat(GlossaryError):
    """An export format the glossary does not write."""

    code = "unknown_format"
    status = 404


class UnsupportedFile(GlossaryError):
    """An upload that is not a file type the importer reads, or not well-formed."""

    code = "unsupported_file"


class UnsafeXml(GlossaryError):
    """XML that declares a DTD or entities, refused before anything is expanded."""

    code = "unsafe_xml"


class UploadTooLarge(GlossaryError):
    """An upload over GLOSSARY_MAX_UPLOAD_BYTES."""

    code = "too_large"
    status = 413


class ImportRejected(GlossaryError):
    """An import with conflicts: nothing was written; the message lists them."""

    code = "import_rejected"

    def __init__(self, message: str, *, report) -> None:
        super().__init__(message, field="file")
        self.report = report


class ConceptRejected(GlossaryError):
    """Entries that break a rule: nothing was written; the report lists each problem."""

    code = "invalid_concept"

    def __init__(self, message: str, *, report, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.report = report


class StaleVersion(GlossaryError):
    """A change made from a version of a concept someone has changed since."""

    code = "stale_version"
    status = 409


class PermissionRefused(GlossaryError):
    """The user's role does not allow the change, or the concept's status does not."""

    code = "permission_denied"
    status = 403


class PreconditionRequired(GlossaryError):
    """A change to a concept sent without If-Match."""

    code = "precondition_required"
    status = 428


class PreconditionFailed(GlossaryError):
    """A change sent with an If-Match that is no longer the concept's version."""

    code = "stale_version"
    status = 412
