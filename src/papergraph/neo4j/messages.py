"""Safe one-line messages about Neo4j: URIs without credentials, server errors classified."""

from __future__ import annotations

import re

from ..errors import ConfigError

__all__ = ["SCHEMES", "redact_uri", "check_uri", "is_data_error", "first_line", "redacted"]

#: URI schemes the Bolt driver speaks.
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_USERINFO = re.compile(r"\b([A-Za-z][A-Za-z0-9+.-]*://)[^@/?#\s'\"]*@")


def redact_uri(uri: str) -> str:
    """``uri`` (or any text holding URIs) with user names and passwords replaced by ``***``."""
    return _USERINFO.sub(r"\1***@", uri)


def check_uri(uri: str) -> str:
    """The URI's scheme if the driver speaks it.

    Raises:
        ConfigError: another scheme (``http://``, none).
    """
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in SCHEMES:
        raise ConfigError(f"bad Neo4j URI {redact_uri(uri)!r}: expected {', '.join(s + '://' for s in SCHEMES)} "
                          "(e.g. bolt://127.0.0.1:7687)")
    return scheme


def is_data_error(e) -> bool:
    """Whether a server error is about the data sent (not the connection, login or database)."""
    code = e.code or ""
    return code.startswith(("Neo.ClientError.Statement.", "Neo.ClientError.Schema.", "Neo.ClientError.Procedure.")) \
        or "too large" in (e.message or "")


def first_line(e: object) -> str:
    """The first line of an error's text, at most 300 characters."""
    return (str(e).strip().splitlines() or [""])[0][:300]


def redacted(e: object, settings) -> str:
    """The first line of an error, with the URI's credentials and the password removed."""
    text = first_line(e).replace(settings.uri, redact_uri(settings.uri))
    if settings.password:
        text = text.replace(settings.password, "***")
    return redact_uri(text)
