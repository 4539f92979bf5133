"""The one error tree of newsdesk.

    NewsdeskError
    ├── ConfigError      bad settings file or option (a usage error: exit 2)
    ├── FetchError       a source could not be fetched
    ├── ParseError       input that cannot be read: a file, a record, a document
    │   └── RecordError  one record rejected; the batch goes on
    ├── CleanError       an HTML body the cleaner refuses (too large, too deep)
    ├── EnrichError      enrichment failed on one article; it is stored without it
    ├── QueryError       a search query that cannot be run (a usage error)
    ├── StoreError       the database refused or could not be reached
    ├── AuthError        a login, session, token or form token refused (who, never the secret)
    └── PublishError     a site or export cannot be written

Every message names the stage and where the input came from (file, record index,
source, URL), so that a line in a log is enough to find the culprit.
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base of every error newsdesk raises on purpose."""

    stage = "newsdesk"

    def __init__(self, message: str, *, where: str | None = None, reason: str | None = None) -> None:
        self.message = message
        self.where = where
        self.reason = reason  # short, stable name a summary counts it under ("no article body")
        super().__init__(str(self))

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross process boundaries (import workers): keep message, place and reason apart.
        return (self.__class__, (self.message,), {"where": self.where, "reason": self.reason})

    def __str__(self) -> str:
        place = f" {self.where}:" if self.where else ""
        return f"{self.stage}:{place} {self.message}"


class ConfigError(NewsdeskError):
    stage = "config"


class FetchError(NewsdeskError):
    stage = "fetch"


class ParseError(NewsdeskError):
    stage = "parse"


class RecordError(ParseError):
    """One record is unusable; the caller skips it and goes on.

    Its ``reason`` is always set (``no link``, ``no title or body``, ``no article body``...)."""

    stage = "import"

    def __init__(self, message: str, *, where: str | None = None, reason: str | None = None) -> None:
        super().__init__(message, where=where, reason=reason or message.split(":")[0][:40])


class CleanError(NewsdeskError):
    stage = "clean"


class EnrichError(NewsdeskError):
    stage = "enrich"


class QueryError(NewsdeskError):
    stage = "search"


class StoreError(NewsdeskError):
    stage = "store"


class AuthError(NewsdeskError):
    stage = "auth"


class PublishError(NewsdeskError):
    stage = "publish"
