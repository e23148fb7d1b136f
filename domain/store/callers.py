"""Who makes a journey's after-care calls when the clinic has its consultants call their own
clients (`FollowUpAssignee.OWNING_CONSULTANT`): the journey's consultant while they are still an
active consultant of the clinic. A journey past its handover keeps its consultant for good
(`reassign` ends at the handover), so the calls of one who has left, deactivated or given
another role, went for a year to an account nobody reads; they go to the clinic's follow-up
staff instead, as under the default setting."""

from __future__ import annotations

from domain.aftercare.tasks import FollowUpAssignee
from domain.roles import Role
from domain.store.models import StaffAccount


async def calling_consultant(
    clinic_id: str, consultant_id: str | None, policy: FollowUpAssignee
) -> str | None:
    """The consultant the calls go to under `policy`: `consultant_id` while they still consult
    at the clinic, else None (follow-up staff). Read only when the setting names them."""
    if policy is not FollowUpAssignee.OWNING_CONSULTANT or not consultant_id:
        return consultant_id
    return consultant_id if await still_consulting(clinic_id, consultant_id) else None


async def still_consulting(clinic_id: str, consultant_id: str) -> bool:
    """Whether the account is still an active consultant of the clinic."""
    return await StaffAccount.exists(
        id=consultant_id, clinic_id=clinic_id, role=Role.CONSULTANT.value, active=True
    )
