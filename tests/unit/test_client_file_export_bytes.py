"""A copy of one built file, every part in it, is the very JSON stored in
`expected/client_file_export.json`: what the copy and its Bundle say, and in what order, changes
only with that file, so a change to how parts are read or written shows in its diff.

`python -m tests.unit.test_client_file_export_bytes` writes the file afresh from the code."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from domain.client_file.export import PARTS, file_document
from domain.client_file.fhir import file_bundle
from domain.client_file.fhir_check import bundle_problems
from domain.client_file.file_records import (
    ClientFile,
    ComplicationCall,
    Disclosure,
    FollowUpComplication,
    PhotoConsentChange,
    PhotoTaken,
    RecordAmendment,
    Treatment,
)
from domain.store.client_file_export import READERS
from tests.unit.test_client_file_export import _at, built_file

EXPECTED = Path(__file__).parent / "expected" / "client_file_export.json"


def every_part() -> ClientFile:
    """The unit tests' file, with a withdrawn guardian's consent, photo purposes given and
    withdrawn, photos, a complication the client called in with and one she reported on a call,
    an earlier treatment corrected twice (its lot, then a field the record does not carry
    with its notes), and a disclosure of the file to another doctor."""
    file = built_file()
    (consent,) = file.consents
    guardian = dataclasses.replace(
        consent,
        id="s2",
        kind="PHOTO",
        capacity="GUARDIAN",
        guardian_name="Olga",
        guardian_relation="mother",
        signature_format=None,
        signed_at=_at(12),
        withdrawn_at=_at(40),
    )
    relabelled = RecordAmendment(
        "a1",
        "acc-2",
        "the lot on the box was L2",
        {"products": [{"name": "HA", "lot_number": "L2", "dose": "0.5 ml"}]},
        _at(21),
    )
    noted = RecordAmendment(
        "a2", "acc-3", "said on the call", {"notes": "numb for an hour", "side": "left"}, _at(22)
    )
    corrected = Treatment(
        "r0",
        "j0",
        "lip filler",
        [{"name": "HA", "lot_number": "L1", "dose": "0.5 ml"}],
        None,
        "acc-3",
        amendments=[relabelled, noted],
        at=_at(20),
    )
    return dataclasses.replace(
        file,
        consents=[consent, guardian],
        treatments=[corrected, *file.treatments],
        photo_consents=[
            PhotoConsentChange("pc1", "CLINICAL_RECORD", True, "s2", "acc-3", "NURSE", _at(12)),
            PhotoConsentChange(
                "pc2", "CLINICAL_RECORD", False, None, "acc-5", "FRONT_DESK", _at(40)
            ),
        ],
        photos=[
            PhotoTaken("p1", "j1", "BEFORE", "left cheek", "cd" * 32, "acc-3", "NURSE", _at(25)),
            PhotoTaken("p2", "j1", "AFTER", "chin", "ef" * 32, "acc-6", "EXPERT", _at(35)),
        ],
        complication_calls=[
            ComplicationCall("k1", "j1", "lip blanching", "j2", "acc-5", "FRONT_DESK", _at(50))
        ],
        follow_up_complications=[
            FollowUpComplication("f1", "j1", "fu-1", "a lump", "acc-7", "FOLLOW_UP_STAFF", _at(45))
        ],
        disclosures=[
            Disclosure(
                "d1",
                "dr Jan Kowalski",
                "Klinika Dermatologii",
                "a second opinion on the lump",
                ["ALLERGIES", "TREATMENTS"],
                "REGISTERED_POST",
                "s1",
                "acc-5",
                "acc-8",
                "SUPERVISOR",
                _at(55),
            )
        ],
    )


def _copy() -> dict[str, Any]:
    file = every_part()
    return {"file": file_document(file), "fhirBundle": file_bundle(file)}


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def test_a_copy_of_every_part_is_the_stored_json_byte_for_byte() -> None:
    copy = _copy()
    assert bundle_problems(copy["fhirBundle"]) == []
    stored = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert _compact(copy) == _compact(stored)


if __name__ == "__main__":
    EXPECTED.write_text(json.dumps(_copy(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def test_every_listed_part_has_its_reader_and_its_field() -> None:
    assert [part.name for part in PARTS] == list(READERS)
    assert all(part.field in ClientFile.__dataclass_fields__ for part in PARTS)
