"""The client's own copy without a database: a built file as JSON and as a FHIR Bundle that the
FHIR R4 models accept, and a broken Bundle they refuse."""

from __future__ import annotations

import copy
import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.client_file.export import (
    ClientFile,
    ErrorMark,
    FileAccess,
    FileEntry,
    IdentityVersion,
    SignedConsent,
    Treatment,
    export_bytes,
    file_document,
)
from domain.client_file.fhir import file_bundle
from domain.client_file.fhir_check import bundle_problems
from domain.client_file.kinds import EntryKind

T0 = datetime(2026, 3, 2, 8, 5, tzinfo=UTC)


def _at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _entry(n: int, kind: EntryKind, **body: object) -> FileEntry:
    return FileEntry(f"e{n}", kind, body, "acc-1", "CONSULTANT", _at(n))


def built_file() -> ClientFile:
    history = _entry(
        1,
        EntryKind.MEDICAL_HISTORY,
        topic="EARLIER_TREATMENT",
        description="lips",
        treatment="hyaluronic acid",
        treated_on="2024-05-01",
        effect="lumps",
    )
    condition = _entry(
        2,
        EntryKind.MEDICAL_HISTORY,
        topic="MEDICAL_CONDITION",
        description="rosacea",
        treatment=None,
        treated_on=None,
        effect=None,
    )
    wrong = FileEntry(
        "e3",
        EntryKind.ALLERGY,
        {"substance": "latex", "reaction": "rash", "severity": "MILD"},
        "acc-1",
        "NURSE",
        _at(3),
        error=ErrorMark("another client's", "acc-2", "SUPERVISOR", _at(4)),
    )
    allergy = _entry(
        5, EntryKind.ALLERGY, substance="lidocaine", reaction="hives", severity="LIFE_THREATENING"
    )
    old_med = _entry(6, EntryKind.MEDICATION, name="isotretinon", dose=None, since=None, note=None)
    old_med = FileEntry(**{**old_med.__dict__, "amended_by_id": "e7"})
    new_med = FileEntry(
        "e7",
        EntryKind.MEDICATION,
        {"name": "isotretinoin", "dose": "20 mg", "since": "2026-01-01", "note": None},
        "acc-1",
        "EXPERT",
        _at(7),
        amends_id="e6",
        reason="spelling",
    )
    pregnancy = _entry(
        8,
        EntryKind.PREGNANCY_STATUS,
        pregnant=False,
        lactating=True,
        stated_on="2026-03-02",
        note=None,
    )
    lifestyle = _entry(
        9,
        EntryKind.MEDICAL_HISTORY,
        topic="LIFESTYLE",
        description="smokes",
        treatment=None,
        treated_on=None,
        effect=None,
    )
    card = _entry(
        10,
        EntryKind.SERVICE_CARD,
        section="PREFERENCE_DRINKS",
        note="green tea",
        minutes=None,
        occurred_on=None,
        ask_about_results=None,
    )
    consent = SignedConsent(
        "s1",
        "j1",
        "PROCEDURE",
        "filler",
        "filler",
        2,
        "ab" * 32,
        "ru",
        {"title": "Согласие", "purpose": "филлер"},
        "Анна",
        "CLIENT",
        None,
        None,
        "acc-3",
        "EXPERT",
        "SVG_PATH",
        _at(11),
    )
    return ClientFile(
        client_id="c1",
        clinic_name="Glow Warsaw",
        zone=ZoneInfo("Europe/Warsaw"),
        birth_date=date(1990, 5, 1),
        data_consent_at=T0,
        as_of=_at(60),
        identity=[
            IdentityVersion("Anna Nowak", "+48 600 100 200", None, "acc-4", T0),
            IdentityVersion("Anna Kowalska", "+48 600 100 200", None, "acc-4", _at(2), "married"),
        ],
        entries=[history, condition, wrong, allergy, old_med, new_med, pregnancy, lifestyle, card],
        consents=[consent],
        treatments=[
            Treatment(
                "r1",
                "j1",
                "lip filler",
                [{"name": "HA", "lot_number": "L1", "dose": "1 ml"}],
                None,
                "acc-3",
                _at(30),
            )
        ],
        accesses=[
            FileAccess(2, _at(20), "acc-3", "EXPERT", "Dr Ewa", "client.allergies.read"),
            FileAccess(1, _at(5), "acc-1", "CONSULTANT", None, "recordAllergy"),
        ],
        accesses_total=2,
    )


def test_the_json_copy_keeps_everything_with_local_times() -> None:
    document = file_document(built_file())
    identity = document["identity"]
    assert identity["fullName"] == "Anna Kowalska"
    assert identity["registered"]["fullName"] == "Anna Nowak"
    assert [a["reason"] for a in identity["amendments"]] == ["married"]
    # Both medications (the corrected one readable), the erroneous allergy with its mark.
    assert [m["name"] for m in document["medications"]] == ["isotretinon", "isotretinoin"]
    assert document["medications"][0]["inForce"] is False
    assert document["medications"][1]["amendsId"] == "e6"
    assert document["allergies"][0]["enteredInError"]["reason"] == "another client's"
    assert document["allergies"][0]["recorded"]["atLocal"] == "2026-03-02 09:08"
    assert document["serviceCard"][0]["note"] == "green tea"
    assert document["consents"][0]["template"]["sha256"] == "ab" * 32
    who = document["whoSawMyFile"]
    assert (who["total"], who["included"], who["reads"]) == (2, 2, 1)
    assert who["entries"][0]["actorName"] == "Dr Ewa"
    # Its size is counted in UTF-8 bytes: Cyrillic letters take two each
    assert export_bytes({"t": "Согласие"}) == len('{"t":""}') + 2 * len("Согласие")


def test_the_bundle_validates_and_maps_each_part() -> None:
    bundle = file_bundle(built_file())
    assert bundle_problems(bundle) == []
    resources = [e["resource"] for e in bundle["entry"]]
    types = [r["resourceType"] for r in resources]
    assert types.count("Patient") == 1
    assert types.count("AllergyIntolerance") == 2
    assert types.count("MedicationStatement") == 1  # the corrected one is replaced
    assert types.count("Procedure") == 2  # an earlier treatment, one performed here
    assert {"Condition", "QuestionnaireResponse", "Consent"} <= set(types)
    assert types.count("Observation") == 2  # pregnancy and breastfeeding
    patient = resources[0]
    assert [n["use"] for n in patient["name"]] == ["usual", "old"]
    wrong = next(r for r in resources if r.get("code", {}).get("text") == "latex")
    assert wrong["verificationStatus"]["coding"][0]["code"] == "entered-in-error"
    assert "clinicalStatus" not in wrong
    assert not any("green tea" in str(r) for r in resources)  # the service card stays home


def test_a_stopped_medication_is_a_completed_statement_with_its_period() -> None:
    file = built_file()
    stopped = [
        dataclasses.replace(e, body={**e.body, "stopped_on": "2026-03-01"})
        if e.kind is EntryKind.MEDICATION
        else e
        for e in file.entries
    ]
    bundle = file_bundle(dataclasses.replace(file, entries=stopped))
    assert bundle_problems(bundle) == []
    (statement,) = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "MedicationStatement"
    ]
    assert statement["status"] == "completed"
    assert statement["effectivePeriod"] == {"start": "2026-01-01", "end": "2026-03-01"}
    taking = file_bundle(file)
    assert [
        e["resource"]["status"]
        for e in taking["entry"]
        if e["resource"]["resourceType"] == "MedicationStatement"
    ] == ["active"]


def test_a_broken_bundle_is_refused() -> None:
    bundle = file_bundle(built_file())
    broken = copy.deepcopy(bundle)
    statement = next(
        e["resource"]
        for e in broken["entry"]
        if e["resource"]["resourceType"] == "MedicationStatement"
    )
    del statement["subject"]
    broken["entry"][0]["resource"]["birthDate"] = "1990-13-45"
    problems = bundle_problems(broken)
    assert len(problems) == 2, problems
    assert any("subject" in p for p in problems)
    assert any("birthDate" in p for p in problems)


def test_a_photo_link_or_view_is_a_read_of_the_file_and_a_mutation_a_change() -> None:
    def kind(action: str) -> bool:
        return FileAccess(1, _at(5), "acc-1", "SUPERVISOR", None, action).read

    reads = ("client.read", "client.photo.link", "client.photo.view", "client.photo.copy_view")
    assert all(kind(action) for action in reads)
    assert not any(kind(action) for action in ("recordAllergy", "uploadPhoto", "exportClientFile"))
