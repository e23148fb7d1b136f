"""Where a setting's text comes from, and the checks of its certificate and TLS values.

Any ``GLOWPATH_X`` may instead be given as ``GLOWPATH_X_FILE``, the path of a file holding the value
(the Docker and Kubernetes secrets convention: a secret mounted as a file never shows in the
process environment or in ``docker inspect``). Giving both is an error naming both, never a silent
choice between them.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from urllib.parse import quote

FILE_SUFFIX = "_FILE"
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
_CERTIFICATE = "-----BEGIN CERTIFICATE-----"
_PRIVATE_KEY = tuple(f"-----BEGIN {kind}PRIVATE KEY-----" for kind in ("", "RSA ", "EC "))


class SourceError(ValueError):
    """The value of a variable (or of the file it names) cannot be read."""


def raw_value(environ: Mapping[str, str], name: str) -> str:
    """The stripped text of ``name`` or of the file ``name_FILE`` names; ``""`` when neither."""
    direct = environ.get(name, "").strip()
    path = environ.get(name + FILE_SUFFIX, "").strip()
    if direct and path:
        raise SourceError(
            f"{name} and {name}{FILE_SUFFIX} are both set: give the value in one of them only"
        )
    if not path:
        return direct
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read().strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise SourceError(f"{name}{FILE_SUFFIX}: cannot read {path!r}: {reason}") from None
    if not text:
        raise SourceError(f"{name}{FILE_SUFFIX}: the file {path!r} is empty")
    return text


def parse_certificates(text: str) -> str:
    """One or more PEM certificates (a CA bundle or a client chain), checked by loading them."""
    if _CERTIFICATE not in text:
        raise ValueError(
            f"expected PEM certificate text ({_CERTIFICATE} ...); to give a path, "
            f"use the variable's {FILE_SUFFIX} twin"
        )
    try:
        ssl.create_default_context(cadata=text)
    except (ssl.SSLError, ValueError) as exc:
        raise ValueError(f"not a readable PEM certificate: {exc}") from None
    return text


def parse_private_key(text: str) -> str:
    if not text.lstrip().startswith(_PRIVATE_KEY):
        raise ValueError(
            "expected an unencrypted PEM private key (-----BEGIN PRIVATE KEY----- ...); to give "
            f"a path, use the variable's {FILE_SUFFIX} twin"
        )
    return text


def parse_ssl_mode(text: str) -> str:
    if text.lower() not in SSL_MODES:
        raise ValueError(f"expected one of {', '.join(SSL_MODES)}, got {text!r}")
    return text.lower()


def with_password(url: str, password: str) -> str:
    """``url`` with ``password`` put in its user part, percent-encoded: raw, a password holding
    ``@ / : # ? %`` would end the user part, the host or the URL early, or be decoded."""
    scheme, _, rest = url.partition("://")
    netloc, slash, tail = rest.partition("/")
    user, at, host = netloc.rpartition("@")
    if not at:
        raise ValueError("the URL names no user for the password (postgres://user@host/db)")
    if ":" in user:
        raise ValueError("the URL holds a password already: give it in one place only")
    return f"{scheme}://{user}:{quote(password, safe='')}@{host}{slash}{tail}"
