"""The doctor who treated a journey's client, as its treatment record names them.

The expert who approved the plan (the journey's `expert_id`) is often not the one who performed
it: `completeTreatment` names the performer, and a correction of that record (`amendRecord`,
whose `correction` holds `performer_id`, the key the record's details show) names who it really
was. A complication reported on a call and the phone survey's "trust in the doctor" are the
treating doctor's; a journey treated by a nurse, or one whose record names no doctor of the
clinic (written before the performer was asked for), keeps the approving expert; so does a
complication whose treating doctor has left the clinic, while the approving expert has not.
"""

from __future__ import annotations

from typing import Any

from domain.roles import Role
from domain.store.drafts import attached_record
from domain.store.models import JourneyRecord, StaffAccount
from domain.store.staff_names import account_named

# The record keeps the performer as the API took it, a StaffMember's global id
# (`staff_names.account_named`).
PERFORMER = "performer_id"


async def treating_doctor(
    journey_id: str, clinic_id: str, approved_by: str | None, *, still_here: bool = False
) -> str | None:
    """The account id of the doctor who performed the journey's treatment (as last corrected),
    else `approved_by`. Read from the records, which never change once written: asked again
    (a retried write), it answers the same unless the performer was corrected meanwhile.
    `still_here`: a doctor who has left the clinic does not count, the approving expert
    included (None when neither is still here): a task for them would be read by nobody; what
    they did is still theirs."""
    account = await performer_of(journey_id)
    doctors = StaffAccount.filter(clinic_id=clinic_id, role=Role.EXPERT.value)
    if still_here:
        doctors = doctors.filter(active=True)
    if account is not None and await doctors.filter(id=account).exists():
        return account
    if still_here and approved_by and not await doctors.filter(id=approved_by).exists():
        return None  # the approving expert has left too: any doctor
    return approved_by


async def performer_of(journey_id: str) -> str | None:
    """The account the treatment record (as last corrected) names as its performer, if any:
    whatever its role, and whether or not it is still there."""
    return account_named(await _named_performer(journey_id))


async def _named_performer(journey_id: str) -> Any:
    """The performer the treatment record names, or its latest correction does."""
    record = await attached_record(journey_id, "treatment")
    if record is None:
        return None
    named = record.body.get(PERFORMER) if isinstance(record.body, dict) else None
    # Oldest first, as the history shows them: the last that corrects the performer stands.
    for amendment in await JourneyRecord.filter(amends_id=record.id).order_by("created_at", "id"):
        correction = amendment.body.get("correction") if isinstance(amendment.body, dict) else None
        if isinstance(correction, dict) and PERFORMER in correction:
            named = correction[PERFORMER]
    return named
