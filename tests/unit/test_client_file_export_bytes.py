"""A copy of one built file, every part in it, is the very JSON stored in
`expected/client_file_export.json`: what the copy and its Bundle say, and in what order, changes
only with that file, so a change to how parts are read or written shows in its diff.

`python -m tests.unit.test_client_file_export_bytes` writes the file afresh from the code."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from domain.client_file.data_consent import consent_body
from domain.client_file.export import PARTS, file_document
from domain.client_file.fhir import file_bundle
from domain.client_file.fhir_check import bundle_problems
from domain.client_file.file_records import (
    ClientFile,
    Complaint,
    ComplaintAnswer,
    ComplicationCall,
    Disclosure,
    FileEntry,
    FollowUpComplication,
    PhotoConsentChange,
    PhotoTaken,
    RecordAmendment,
    Treatment,
)
from domain.client_file.journey_records import (
    Consultation,
    ExpertBriefing,
    ExpertReview,
    FollowUpCall,
    Handover,
    PreTreatmentCheck,
    StaffNamed,
)
from domain.client_file.kinds import EntryKind
from domain.client_file.money_records import Bill, BillConfirmation, BillLine, Payment, Refund
from domain.store.client_file_export import READERS
from tests.unit.test_client_file_export import _at, built_file

EXPECTED = Path(__file__).parent / "expected" / "client_file_export.json"


def every_part() -> ClientFile:
    """The unit tests' file, with a withdrawn guardian's consent, photo purposes given and
    withdrawn, photos, a complication the client called in with and one she reported on a call,
    an earlier treatment corrected twice (its lot, then a field the record does not carry
    with its notes), a disclosure of the file to another doctor, and the records of a journey from
    consultation to its follow-up calls (the final plan's price lines corrected by its expert),
    with its bill (two lines, a discount, confirmed), the payment of it and a refund."""
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
        entries=[*file.entries, *_ward(_at(20)), _data_consent()],
        **_journey(),
        **_money(),
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
        complaints=[
            Complaint(
                "c1",
                "j1",
                "PHONE",
                "TREATMENT_RESULT",
                "the lump was not explained",
                _at(56).isoformat(),
                _at(57).isoformat(),
                "acc-5",
                "FRONT_DESK",
                answers=[
                    ComplaintAnswer(
                        "ca1", "RESPONSE", None, "called back", "acc-8", "SUPERVISOR", _at(58)
                    ),
                    ComplaintAnswer(
                        "ca2",
                        "RESOLUTION",
                        "UPHELD",
                        "recheck free",
                        "acc-8",
                        "SUPERVISOR",
                        _at(59),
                    ),
                ],
                at=_at(56),
            )
        ],
    )


def _data_consent() -> FileEntry:
    """The guardian who consented to the data being kept, as the registration wrote it."""
    body = consent_body("Maria Nowak", "mother")
    assert body is not None
    return FileEntry("g1", EntryKind.DATA_CONSENT, body, "acc-1", "FRONT_DESK", _at(0))


def _ward(operated: datetime) -> list[FileEntry]:
    """The ward after the operation of journey j0 (seed 003): an observation an hour after it,
    under a general anaesthesia, and the doctor's round the next day."""
    observed = {
        "journey_id": "j0",
        "observed_at": (operated + timedelta(hours=1)).isoformat(),
        "anaesthesia": "GENERAL",
        "vitals": {
            "systolic": 118,
            "diastolic": 76,
            "pulse": 72,
            "respiratory_rate": 16,
            "temperature_celsius": 36.8,
            "oxygen_saturation": 98,
        },
        "lying_flat": True,
        "nil_by_mouth": True,
        "note": "dressing dry",
    }
    round_ = {
        "journey_id": "j0",
        "visited_at": (operated + timedelta(days=1)).isoformat(),
        "recovering_as_expected": True,
        "findings": "swelling as expected",
        "next_step": "discharge, dressing on day 3",
    }
    at = operated + timedelta(hours=1, minutes=5)
    return [
        FileEntry("w1", EntryKind.POST_OP_OBSERVATION, observed, "acc-4", "NURSE", at),
        FileEntry("w2", EntryKind.WARD_ROUND, round_, "acc-3", "EXPERT", at + timedelta(days=1)),
    ]


PLAN = {
    "title": "cheeks",
    "items": ["hyaluronic acid, cheeks"],
    "effect": "volume",
    "cycle": "one session",
    "price": "1200.00",
    "currency": "PLN",
    "risks": "bruising",
    "recovery": "two days",
    "price_lines": [{"item_code": "HA-1", "quantity": 1}],
}


def _journey() -> dict[str, Any]:
    """Journey j1's records, consultation to follow-up calls: one reached, one not."""
    corrected = RecordAmendment(
        "a3", "acc-6", "two syringes", {"final_plan": {"price_lines": [{"quantity": 2}]}}, _at(19)
    )
    checks = {"identity_verified": True, "pregnancy_excluded": True, "labs": None}
    discomfort = {"normal": "swelling", "passes": "in three days", "call_now": "fever"}
    return {
        "consultations": [
            Consultation(
                "r1",
                "j1",
                "architect",
                {"areas": ["cheeks"], "goal": "look rested", "earlier_treatments": None},
                {"psychological": "realistic", "spending_capacity": "medium"},
                [PLAN],
                "acc-1",
                "CONSULTANT",
                at=_at(14),
            )
        ],
        "expert_briefings": [
            ExpertBriefing(
                "r2",
                "j1",
                "acc-6",
                {"goal": "look rested", "proposed_items": ["hyaluronic acid, cheeks"]},
                "acc-1",
                "CONSULTANT",
                at=_at(15),
            )
        ],
        "expert_reviews": [
            ExpertReview(
                "r3",
                "j1",
                "APPROVE",
                "no lips",
                PLAN,
                None,
                "acc-6",
                "EXPERT",
                amendments=[corrected],
                at=_at(16),
            )
        ],
        "pre_treatment_checks": [
            PreTreatmentCheck(
                "r4",
                "j1",
                checks,
                "acc-6",
                "EXPERT",
                assistant=StaffNamed("acc-8", "Dr Ewa Lis"),
                nurse=StaffNamed("acc-3", None),
                at=_at(23),
            )
        ],
        "handovers": [
            Handover(
                "r5",
                "j1",
                "no make-up",
                discomfort,
                "2026-03-20T09:00:00+00:00",
                [{"medicine": "amoxicillin", "dose": "500 mg", "frequency": "8-hourly", "days": 5}],
                None,
                "acc-3",
                "NURSE",
                at=_at(36),
            )
        ],
        "follow_up_calls": [
            FollowUpCall(
                "r6",
                "j1",
                "fu-1",
                "NOT_REACHED",
                None,
                None,
                "acc-7",
                "FOLLOW_UP_STAFF",
                at=_at(42),
            ),
            FollowUpCall(
                "r7", "j1", "fu-2", "REACHED", 5, "happy", "acc-7", "FOLLOW_UP_STAFF", at=_at(44)
            ),
        ],
    }


def _money() -> dict[str, Any]:
    """Journey j1's bill in PLN, paid in full, 150.50 of it given back after treatment."""
    lines = [
        BillLine(
            1,
            "pl1",
            "HA-1",
            "PROCEDURE",
            "hyaluronic acid",
            2,
            "600.00",
            "550.00",
            True,
            False,
            "0.00",
            "1100.00",
        ),
        BillLine(
            2,
            "pl2",
            "AN-1",
            "CONSUMABLE",
            "anaesthetic cream",
            1,
            "100.00",
            "100.00",
            False,
            False,
            "20.00",
            "100.00",
        ),
    ]
    confirmed = BillConfirmation("Anna Kowalska", "SVG_PATH", "acc-9", "CASHIER", _at(18))
    bill = Bill(
        "b1",
        "j1",
        "PLN",
        lines,
        "1200.00",
        "120.00",
        "loyal client",
        "acc-8",
        "1080.00",
        "NONE",
        confirmed,
        "acc-9",
        _at(17),
    )
    return {
        "bills": [bill],
        "payments": [
            Payment("pay1", "j1", "b1", "FULL", "CARD", "1080.00", "PLN", 17, "acc-9", _at(19))
        ],
        "refunds": [
            Refund(
                "rf1",
                "j1",
                "pay1",
                "b1",
                "150.50",
                "PLN",
                "one syringe unused",
                False,
                "acc-8",
                "SUPERVISOR",
                _at(46),
                kind="GOODWILL",
            )
        ],
    }


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
