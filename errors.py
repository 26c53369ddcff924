"""The project's exceptions, one module for all (as httpx ``_exceptions.py``).

    DuluanError
    ├── ConfigError          a config file is invalid: names the file, line and fix
    ├── QueryError           a search query the user typed cannot be parsed
    ├── StoreError           the SQL database failed
    ├── IndexError_          a search backend failed
    │   ├── IndexUnavailable     it is down; writes stay in the outbox
    │   └── PartialWriteError    some documents of a bulk write failed
    ├── FetchError           one URL could not be fetched; carries ``kind``
    ├── ExtractError         a fetched page yielded no article text
    │   └── EncodingError        its bytes cannot be turned into trustworthy text
    ├── ChannelError         an alert could not be delivered; it stays pending
    └── CaseError            a case action cannot be done (issue #10)
        ├── PermissionDenied     the acting user's role or agency does not allow it
        ├── NotFound             no such case, article or user
        └── WorkflowError        the case is not in a state that allows the action
"""

from __future__ import annotations


class DuluanError(Exception):
    """Base class of every error duluan raises on purpose."""


class ConfigError(DuluanError):
    def __init__(self, file: str, line: int | None, message: str, fix: str = ""):
        self.file, self.line, self.message, self.fix = file, line, message, fix
        where = f"{file}:{line}" if line else file
        text = f"{where}: {message}"
        if fix:
            text += f" — sửa / fix: {fix}"
        super().__init__(text)


class QueryError(DuluanError):
    """A search query is malformed; ``position`` is the character offset."""

    def __init__(self, message: str, position: int | None = None):
        self.position = position
        super().__init__(message if position is None else f"{message} (vị trí / position {position})")


class StoreError(DuluanError):
    pass


class IndexError_(DuluanError):
    pass


class IndexUnavailable(IndexError_):
    """The search backend cannot be reached; writes stay in the outbox."""


class PartialWriteError(IndexError_):
    """Some documents of a bulk write failed; ``failed`` maps article id → reason."""

    def __init__(self, written: int, failed: dict[str, str]):
        self.written, self.failed = written, failed
        first = next(iter(failed.items()))
        super().__init__(f"{len(failed)} documents failed, e.g. {first[0]}: {first[1]}")


class FetchError(DuluanError):
    """A URL failed. ``kind`` is one of the crawl error kinds in ``records.ERROR_KINDS``."""

    def __init__(self, kind: str, url: str, message: str, retryable: bool = False):
        self.kind, self.url, self.message, self.retryable = kind, url, message, retryable
        super().__init__(f"{kind}: {url}: {message}")


class ExtractError(DuluanError):
    pass


class EncodingError(ExtractError):
    """The page's bytes cannot be turned into trustworthy text; recorded as kind ``encoding``."""

    kind = "encoding"


class ChannelError(DuluanError):
    """Delivery failed; the alert stays pending and is retried."""


class CaseError(DuluanError):
    """A case action cannot be done; the CLI prints the reason on one line and exits non-zero."""


class PermissionDenied(CaseError):
    """The acting user may not do this (role, agency, topics, or a disabled account)."""


class NotFound(CaseError):
    pass


class WorkflowError(CaseError):
    """The action is not allowed from the case's current state, or lacks what it needs."""
