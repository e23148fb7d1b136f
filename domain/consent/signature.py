"""Who signs a consent and how: the signer's capacity and the drawn signature's checks.

A drawn signature arrives either as SVG path data (the `d` attribute a signature pad draws)
or as a PNG image, base64-encoded. Both are checked for type and size before anything is
stored: path data may hold path commands and numbers only (no markup, no script), a PNG must
start with the PNG signature and decode within the limit.
"""

from __future__ import annotations

import base64
import binascii
import re
from enum import Enum

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code

ADULT_AGE = 18
SVG_PATH_LIMIT = 64 * 1024
PNG_LIMIT = 256 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG_PATH = re.compile(r"[Mm][MmLlHhVvCcSsQqTtAaZz0-9eE+\-.,\s]*")


class SignerCapacity(str, Enum):
    """Who signs: the client, or a guardian for them (a client under 18)."""

    CLIENT = "CLIENT"
    GUARDIAN = "GUARDIAN"


class SignatureFormat(str, Enum):
    SVG_PATH = "SVG_PATH"
    PNG = "PNG"


def check_drawn_signature(fmt: SignatureFormat, data: str) -> list[FieldProblem]:
    field = "signature.data"
    if fmt is SignatureFormat.SVG_PATH:
        if len(data) > SVG_PATH_LIMIT:
            return [
                FieldProblem(
                    field, f"an SVG path of at most {SVG_PATH_LIMIT} characters", Code.TOO_LONG
                )
            ]
        if not SVG_PATH.fullmatch(data) or not any(c.isdigit() for c in data):
            return [
                FieldProblem(
                    field, "not SVG path data (path commands and numbers only)", Code.BAD_FORMAT
                )
            ]
        return []
    if len(data) > PNG_LIMIT * 4 // 3 + 4:
        return [FieldProblem(field, f"a PNG of at most {PNG_LIMIT} bytes", Code.TOO_LONG)]
    try:
        image = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return [FieldProblem(field, "a PNG must be sent base64-encoded", Code.BAD_FORMAT)]
    if not image.startswith(PNG_MAGIC):
        return [FieldProblem(field, "not a PNG image", Code.BAD_FORMAT)]
    if len(image) > PNG_LIMIT:
        return [FieldProblem(field, f"a PNG of at most {PNG_LIMIT} bytes", Code.TOO_LONG)]
    return []
