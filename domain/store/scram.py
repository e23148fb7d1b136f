"""A password as PostgreSQL keeps it (SCRAM-SHA-256), made here so that the password itself never
reaches the server: a `CREATE ROLE ... PASSWORD` statement is written to the server's log under
`log_statement = ddl`, and PostgreSQL stores a verifier it is given as it is (as `psql`'s
`\\password` does). The server derives the same one from the password the role logs in with, so
the password is first prepared as the server prepares it (`pg_saslprep`, RFC 4013).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import stringprep
import unicodedata

ITERATIONS = 4096  # PostgreSQL's default (scram_iterations)
SALT_BYTES = 16
_PROHIBITED = (
    stringprep.in_table_c12,
    stringprep.in_table_c21_c22,
    stringprep.in_table_c3,
    stringprep.in_table_c4,
    stringprep.in_table_c5,
    stringprep.in_table_c6,
    stringprep.in_table_c7,
    stringprep.in_table_c8,
    stringprep.in_table_c9,
    stringprep.in_table_a1,  # unassigned code points
)


def scram_verifier(password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    salted = hashlib.pbkdf2_hmac("sha256", _prepared(password), salt, iterations)
    client_key = hmac.digest(salted, b"Client Key", "sha256")
    server_key = hmac.digest(salted, b"Server Key", "sha256")
    stored_key = hashlib.sha256(client_key).digest()
    return f"SCRAM-SHA-256${iterations}:{_b64(salt)}${_b64(stored_key)}:{_b64(server_key)}"


def _prepared(password: str) -> bytes:
    """SASLprep as PostgreSQL applies it: ASCII as it is; otherwise non-ASCII spaces become
    spaces, characters mapped to nothing go, NFKC; a password SASLprep refuses (prohibited or
    unassigned characters, mixed directions) is used as it was typed, as the server does."""
    raw = password.encode("utf-8", "surrogateescape")  # bytes the environment gave as they were
    if password.isascii():
        return raw
    mapped = "".join(
        " " if stringprep.in_table_c12(c) else c for c in password if not stringprep.in_table_b1(c)
    )
    prepared = unicodedata.normalize("NFKC", mapped)
    if not prepared or any(check(c) for c in prepared for check in _PROHIBITED):
        return raw
    right_to_left = [stringprep.in_table_d1(c) for c in prepared]
    if any(right_to_left) and (
        any(stringprep.in_table_d2(c) for c in prepared)
        or not (right_to_left[0] and right_to_left[-1])
    ):
        return raw
    return prepared.encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
