"""A handover's record as amended: a correction of its prescription (`amendRecord`) replaces the
medicines and the reason none, also on a record written before the handover kept them (its
`prescriptions` None), and a list still corrects no field of words."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.client_file.amended import revised
from domain.client_file.file_records import RecordAmendment
from domain.client_file.journey_records import Handover

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
IBUPROFEN = {"medicine": "ibuprofen", "dose": "400 mg", "frequency": "twice a day", "days": 4}


def _handover(**fields: object) -> Handover:
    base: dict[str, object] = {
        "id": "r-1",
        "journey_id": "j-1",
        "aftercare": "sutures out on day 6",
        "discomfort": None,
        "next_recheck_at": None,
        "prescriptions": [],
        "no_prescription_reason": "nothing beyond the dressing",
        "by": "expert-1",
        "author_role": "EXPERT",
        "at": AT,
    }
    return Handover(**(base | fields))  # type: ignore[arg-type]


def _corrected(**correction: object) -> RecordAmendment:
    return RecordAmendment(id="a-1", by="expert-1", reason="misheard", correction=correction, at=AT)


def test_a_corrected_prescription_replaces_the_medicines_and_the_reason() -> None:
    amendment = _corrected(prescriptions=[IBUPROFEN], no_prescription_reason=None)
    amended, (revision,) = revised(_handover(amendments=[amendment]))
    assert (amended.prescriptions, amended.no_prescription_reason) == ([IBUPROFEN], None)
    assert revision.before == {
        "prescriptions": [],
        "no_prescription_reason": "nothing beyond the dressing",
    }


def test_a_handover_written_before_it_kept_medicines_takes_them_from_its_correction() -> None:
    legacy = _handover(prescriptions=None, no_prescription_reason=None)
    amendment = _corrected(prescriptions=[IBUPROFEN], aftercare=[IBUPROFEN])
    amended, _ = revised(_handover(**{**vars(legacy), "amendments": [amendment]}))
    assert amended.prescriptions == [IBUPROFEN]
    assert amended.aftercare == "sutures out on day 6"
