"""What a partner's premises photos may name. This API stores client photos only, each kept in
its client's clinical record (`uploadPhoto`): a premises photo id is the clinic's own reference
to a photo of the salon, so one naming a stored photo would put a client's clinical photo (of
this clinic or of another) on a partner's record.

Such an id is known by its form, never by looking it up: a photo's global id, or a raw one (a
UUID, as every photo's id is). Refusing only the ids of stored photos told a caller whether a
photo id exists in any clinic (one is refused, an unknown one written); by form, a photo of
another clinic, one of a client the caller may not see and one no photo has are refused alike,
and the answer tells nothing of what is stored."""

from __future__ import annotations

import re

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from schema.ids import decode_id

NOT_PREMISES = "has the form of a client photo's id (uploadPhoto), not of a photo of the premises"
# A UUID in its usual text form, in either case: a raw photo id (`str(uuid.uuid4())` or the
# `uuid5` an idempotency key derives).
_RAW_PHOTO_ID = re.compile(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}", re.IGNORECASE)


def repeated(photo_ids: list[str]) -> list[FieldProblem]:
    """A photo named twice: the later mention, pointing at the first."""
    first: dict[str, int] = {}
    problems = []
    for index, photo_id in enumerate(photo_ids):
        seen = first.setdefault(photo_id.strip(), index)
        if seen != index:
            problems.append(
                FieldProblem(
                    f"premisesPhotoIds[{index}]",
                    f"repeats premisesPhotoIds[{seen}]",
                    Code.DUPLICATE,
                )
            )
    return problems


def _names_a_photo(photo_id: str) -> bool:
    text = photo_id.strip()
    return decode_id(text, "Photo") is not None or _RAW_PHOTO_ID.fullmatch(text) is not None


def client_photo_ids(photo_ids: list[str]) -> list[FieldProblem]:
    """Each id in the form of a client photo's id, whether or not such a photo is stored."""
    return [
        FieldProblem(f"premisesPhotoIds[{index}]", NOT_PREMISES, Code.BAD_FORMAT)
        for index, photo_id in enumerate(photo_ids)
        if _names_a_photo(photo_id)
    ]
