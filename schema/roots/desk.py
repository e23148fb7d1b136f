"""Mutations: the triage desk (arrivals, the rotation, its policy, its records)."""

from __future__ import annotations

import strawberry

from schema.triage import assign as triage_assign
from schema.triage import emergency as triage_emergency
from schema.triage import key_items as triage_key_items
from schema.triage import leads as triage_leads
from schema.triage import mutations as triage
from schema.triage import policy as triage_policy
from schema.triage import reclassify as triage_reclassify
from schema.triage import vip


@strawberry.type
class DeskMutations:
    auto_assign = strawberry.mutation(
        resolver=triage_assign.auto_assign, description="Triage desk."
    )
    place_vip = strawberry.mutation(resolver=vip.place_vip, description="Not a turn.")
    update_triage_seat = strawberry.mutation(resolver=triage.update_seat, description="Duty etc.")
    set_rotation_order = strawberry.mutation(resolver=triage.set_rotation_order)
    accept_client = strawberry.mutation(resolver=triage.accept_client, description="Within 10 min.")
    reassign_client = strawberry.mutation(resolver=triage.reassign_client)
    correct_desk_record = strawberry.mutation(resolver=triage.correct_desk_record)
    consultant_left = strawberry.mutation(resolver=triage.consultant_left)
    record_lead_contact = strawberry.mutation(
        resolver=triage_leads.record_lead_contact,
        description="A phone or online contact; the earliest one owns the client.",
    )
    set_key_item_priority = strawberry.mutation(
        resolver=triage_key_items.set_key_item_priority,
        description="Supervisor: this month's key-item priority staff, best first.",
    )
    set_rotation_policy = strawberry.mutation(
        resolver=triage_policy.set_rotation_policy, description="Supervisor: the desk's rules."
    )
    reclassify_visit = strawberry.mutation(
        resolver=triage_reclassify.reclassify_visit,
        description="Supervisor or expert: a new category for a visit the desk placed today; "
        "the desk's counts follow, logged with the rule and the policy version.",
    )
    mark_emergency = strawberry.mutation(
        resolver=triage_emergency.mark_emergency,
        description="Front desk or supervisor: a client waiting for her consultant is an "
        "emergency; handed to the next free consultant if hers is not free, the supervisor "
        "alerted to fetch a doctor, logged as EMERGENCY.",
    )
