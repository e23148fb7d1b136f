"""What a partner's premises photos may name. This API stores client photos only, each kept in
its client's clinical record (`uploadPhoto`): a premises photo id is the clinic's own reference
to a photo of the salon, so one naming a stored photo would put a client's clinical photo (of
this clinic or of another) on a partner's record. Such an id is refused with the same words
whichever clinic the photo is of, so the answer tells nothing of another clinic."""

from __future__ import annotations

from domain.errors import FieldProblem
from domain.store.photos import Photo
from schema.ids import MAX_RAW_ID, decode_id

NOT_PREMISES = "names a client's photo, not a photo of the premises"


def repeated(photo_ids: list[str]) -> list[FieldProblem]:
    """A photo named twice: the later mention, pointing at the first."""
    first: dict[str, int] = {}
    problems = []
    for index, photo_id in enumerate(photo_ids):
        seen = first.setdefault(photo_id.strip(), index)
        if seen != index:
            problems.append(
                FieldProblem(f"premisesPhotoIds[{index}]", f"repeats premisesPhotoIds[{seen}]")
            )
    return problems


async def client_photos_named(photo_ids: list[str]) -> list[FieldProblem]:
    """Each id naming a stored photo, by its global id or its raw one: one indexed query."""
    candidates: dict[str, set[int]] = {}
    for index, photo_id in enumerate(photo_ids):
        for raw in (photo_id.strip(), decode_id(photo_id.strip(), "Photo")):
            if raw and len(raw) <= MAX_RAW_ID:
                candidates.setdefault(raw, set()).add(index)
    if not candidates:
        return []
    stored = await Photo.filter(id__in=list(candidates)).values_list("id", flat=True)
    named = sorted({index for raw in stored for index in candidates[str(raw)]})
    return [FieldProblem(f"premisesPhotoIds[{index}]", NOT_PREMISES) for index in named]
