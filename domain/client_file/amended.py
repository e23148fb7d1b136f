"""A journey's record as its amendments left it, and what each of them replaced.

A record of the copy is kept as first written, with its amendments (`file_records`); the JSON
copy gives both as they are. The FHIR Bundle gives the record as amended, with what each
amendment replaced (`fhir_parts.provenance`). A correction is staff's JSON object: it replaces a
field the record carries (its `CORRECTABLE` fields) only with a value of that field's shape
(text, a list of objects for products, an object's fields laid over an object's such as a
plan's); any other key it holds stays in the amendment, as recorded, and changes no field (an
export never fails on what a correction held).
Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from domain.client_file.file_records import RecordAmendment

R = TypeVar("R")


@dataclass(frozen=True)
class Revision:
    """One amendment, and the values of the fields it replaced as they stood before it."""

    amendment: RecordAmendment
    before: Mapping[str, Any]


def _fits(now: Any, new: Any, listed: bool) -> bool:
    """Whether `new` has the shape of the field now `now`; `listed`: a field the record keeps as
    a list of objects, None on a record written before it was kept."""
    if isinstance(now, Mapping):
        return isinstance(new, Mapping)
    if isinstance(now, (list, tuple)) or (listed and now is None):
        return isinstance(new, list) and all(isinstance(item, Mapping) for item in new)
    if now is None or isinstance(now, str):
        return new is None or isinstance(new, str)
    return False


def _laid_over(now: Any, new: Any) -> Any:
    """A correction's value of a field: an object's fields laid over the object's (the final
    plan is corrected so, field by field: `domain.store.final_plan`), any other value whole."""
    if isinstance(now, Mapping) and isinstance(new, Mapping):
        return {**now, **new}
    return new


def revised(record: R) -> tuple[R, list[Revision]]:
    """The record as amended, oldest amendment first, and each amendment's revision. A record
    without amendments (a consent, a call taken at the desk) is itself."""
    amendments = getattr(record, "amendments", ())
    correctable = getattr(record, "CORRECTABLE", ())
    listed = getattr(record, "LISTED", ())
    current, revisions = record, []
    for amendment in amendments:
        replaced = {
            name: _laid_over(getattr(current, name), value)
            for name, value in amendment.correction.items()
            if name in correctable and _fits(getattr(current, name), value, name in listed)
        }
        revisions.append(Revision(amendment, {name: getattr(current, name) for name in replaced}))
        current = dataclasses.replace(current, **replaced)  # type: ignore[type-var]
    return current, revisions
