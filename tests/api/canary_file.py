"""The canary's visit to the client file: every part recorded, each corrected, one entry marked
entered in error, the identity page amended, a complaint taken, answered and resolved, and a
minor's guardian corrected. None of it touches a workflow."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.roles import Role
from tests.api.canary_visits import Visit
from tests.api.harness import clinic_today

ENTRY = "... on ClientEntryPayload { entry { ... on AllergyEntry { id } %s } }"
# Each part: the recording mutation, the part's field in `amendClientEntry`, what is not text.
PARTS = (
    ("recordMedicalHistory", "medicalHistory", {"topic": "EARLIER_TREATMENT"}),
    ("recordAllergy", "allergy", {"severity": "MILD"}),
    ("recordMedication", "medication", {}),
    (
        "recordPregnancyStatus",
        "pregnancyStatus",
        {"pregnant": False, "lactating": False, "statedOn": clinic_today().isoformat()},
    ),
    ("addServiceCardEntry", "serviceCard", {"section": "PHONE_WISHES", "askAboutResults": True}),
)
ANY_ENTRY = " ".join(
    f"... on {kind} {{ id }}"
    for kind in (
        "MedicalHistoryEntry",
        "MedicationEntry",
        "PregnancyStatusEntry",
        "ServiceCardEntry",
    )
)


async def keep_a_file(visit: Visit) -> None:
    client = await visit.client()
    select = ENTRY % ANY_ENTRY
    written = []
    for mutation, _, codes in PARTS:
        role = Role.FRONT_DESK if mutation == "addServiceCardEntry" else Role.NURSE
        result = await visit.call(
            role, mutation, "ClientEntryPayload", select, clientId=client, **codes
        )
        written.append((role, result["entry"]["id"]))
    corrections = []
    for (_, part, codes), (role, entry_id) in zip(PARTS, written, strict=True):
        result = await visit.call(
            role,
            "amendClientEntry",
            "ClientEntryPayload",
            select,
            entryId=entry_id,
            **{part: codes},
        )
        corrections.append((role, result["entry"]["id"]))
    # A corrected entry is marked through its latest correction (the original is out of force).
    role, entry_id = corrections[0]
    await visit.call(role, "markEnteredInError", "ClientEntryPayload", select, entryId=entry_id)
    # A consent template: every section of every language marked (the languages are codes).
    texts = [{"language": language} for language in ("pl", "ru", "zh", "en")]
    template = "... on ConsentTemplatePayload { template { id } }"
    await visit.call(
        Role.SUPERVISOR,
        "publishConsentTemplate",
        "ConsentTemplatePayload",
        template,
        kind="PROCEDURE",
        texts=texts,
    )
    await visit.call(
        Role.FRONT_DESK,
        "amendClientIdentity",
        "ClientPayload",
        "... on ClientPayload { client { id } }",
        clientId=client,
    )
    await take_a_complaint(visit, client)
    await correct_a_guardian(visit)


async def correct_a_guardian(visit: Visit) -> None:
    """A girl of 14 registered on her guardian's consent (name and relation marked), the guardian
    then corrected (each marked again)."""
    born = clinic_today().replace(day=1)
    registered = await visit.call(
        Role.FRONT_DESK,
        "registerClient",
        "ClientPayload",
        "... on ClientPayload { client { id dataConsentGuardian { entryId } } }",
        birthDate=born.replace(year=born.year - 14).isoformat(),
        dataConsent=True,
        registerAnyway=True,
    )
    consent = registered["client"]["dataConsentGuardian"]["entryId"]
    await visit.call(
        Role.FRONT_DESK,
        "amendClientEntry",
        "ClientEntryPayload",
        "... on ClientEntryPayload { entry { __typename } }",
        entryId=consent,
        dataConsentGuardian={},
    )


async def take_a_complaint(visit: Visit, client: str) -> None:
    """The clinic lists a closed day (its reason marked); the client complains at the desk (her
    description marked); a supervisor answers it and resolves it (each note marked)."""
    # A day far ahead: the complaints of the clinic's other visits are due as before.
    year = datetime.now(UTC).year + 1
    await visit.call(
        Role.SUPERVISOR,
        "setClinicDaysOff",
        "ClinicDaysOff",
        "... on ClinicDaysOff { year }",
        year=year,
        days=[{"day": f"{year}-12-31"}],
    )
    select = "... on ComplaintPayload { complaint { id } }"
    taken = await visit.call(
        Role.FRONT_DESK,
        "recordComplaint",
        "ComplaintPayload",
        select,
        clientId=client,
        channel="IN_PERSON",
        category="CONSULTANT",
    )
    complaint = taken["complaint"]["id"]
    await visit.call(
        Role.SUPERVISOR, "respondToComplaint", "ComplaintPayload", complaintId=complaint
    )
    await visit.call(
        Role.SUPERVISOR,
        "resolveComplaint",
        "ComplaintPayload",
        complaintId=complaint,
        outcome="UPHELD",
    )
