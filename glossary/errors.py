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


class NotFound(GlossaryError):
    code = "not_found"
    status = 404


class SeedError(GlossaryError):
    """A seed file is wrong; the message names the file and the entry."""

    code = "invalid_seed"
