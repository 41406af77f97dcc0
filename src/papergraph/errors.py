"""Exceptions raised by the library; the CLI turns them into one-line messages and exit codes."""


class PapergraphError(Exception):
    """Base class for every error papergraph reports to a user."""

    exit_code = 1


class InputError(PapergraphError):
    """Bad input: a missing path, an unknown format or a malformed record.

    Args:
        message: what is wrong and what would be valid.
        path: the file it was found in, if any.
        line: the 1-based line (or record) number, if known.
    """

    exit_code = 1

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.path, self.line, self.reason = path, line, message
        where = path or ""
        if path and line:
            where = f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)


class OutputError(PapergraphError):
    """An output could not be written (disk full, permissions)."""

    exit_code = 4


class Neo4jError(PapergraphError):
    """Neo4j unreachable, authentication failed, or a load failed."""

    exit_code = 3


class Neo4jDataError(PapergraphError):
    """Neo4j refused the data of a load (a value too large to index, a type it cannot store)."""

    exit_code = 5


class ConfigError(PapergraphError):
    """A bad option value or vocabulary file."""

    exit_code = 2


class FetchError(PapergraphError):
    """A source could not be fetched: network failure, an HTTP error after retries, a malformed response."""

    exit_code = 6
