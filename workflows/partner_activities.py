"""The partner clock's one activity: did the partner reach the milestone by its deadline?"""

from __future__ import annotations

from temporalio import activity

from domain.partners.clock import MilestoneCheck
from domain.partners.deadlines import Milestone
from domain.store.partner_milestones import flag_if_missed


@activity.defn(name="check_partner_milestone")
async def check_partner_milestone(check: MilestoneCheck) -> bool:
    """True when the milestone was missed (and the lapse is then flagged, once)."""
    return await flag_if_missed(
        check.partner_id, check.clinic_id, Milestone(check.milestone), check.due_at
    )
