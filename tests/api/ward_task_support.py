"""The ward's tasks of a surgery journey as the tests read them: an operation ended at a chosen
moment (its read model, and its tasks as the operation's event writes them), the ward's tasks on
a list, and the supervisor's overdue counts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.journey.facts import Actor, JourneyChange
from domain.journey.facts import JourneyEvent as Event
from domain.journey.stages import Stage
from domain.journey.table import Action
from domain.roles import Role
from domain.store.models import Journey, JourneyEvent
from domain.store.ward_tasks import write_ward_tasks
from schema.ids import decode_id
from tests.api.aftercare_documents import MY_TASKS
from tests.api.alert_support import facts_of
from tests.api.audit_support import clinic_of
from tests.api.flow import JourneyDriver
from tests.api.post_op_support import operated_yesterday
from tests.api.procedure_support import run

STATS = (
    "query S($clinicId: ID!) { journeyStats(clinicId: $clinicId) { ... on JourneyStats { "
    "overdueTasks overdueWardTasks } } }"
)
WARD = ("WARD_READING", "WARD_ROUND")


def raw(jid: str) -> str:
    """The read model's id of a journey's global id."""
    raw = decode_id(jid, "Journey")
    assert raw is not None
    return raw


async def ended(jid: str) -> datetime:
    done = await JourneyEvent.get(journey_id=raw(jid), action=Action.COMPLETE_TREATMENT.value)
    return done.at


async def operated(clinic: JourneyDriver, client: str, type_key: str, ended: datetime) -> str:
    """A journey of the client operated on by the clinic's doctor, its operation ended at
    `ended`: its read model, and its ward's tasks as the operation's event writes them."""
    jid = await operated_yesterday(client, type_key, ended)
    journey = await Journey.get(id=raw(jid))
    facts = facts_of(
        Stage.HANDOVER,
        journey.id,
        journey.clinic_id,
        procedure_type_version_id=journey.facts["procedure_type_version_id"],
        expert_id=clinic.staff[Role.EXPERT].account_id,
    )
    surgeon = Actor(clinic.staff[Role.EXPERT].account_id, Role.EXPERT)
    done = Event(journey.id, 1, "complete_treatment", Stage.TREATMENT, Stage.HANDOVER, surgeon,
                 ended, "operated")  # fmt: skip
    await write_ward_tasks(JourneyChange(done, facts))
    return jid


async def ward_tasks(
    clinic: JourneyDriver, role: Role, jid: str, overdue: bool | None = None
) -> list[dict[str, Any]]:
    data = await run(clinic, MY_TASKS, role, overdue=overdue)
    nodes = [edge["node"] for edge in data["edges"]]
    return [n for n in nodes if n["journeyId"] == jid and n["kind"] in WARD]


async def stats(clinic: JourneyDriver) -> tuple[int, int]:
    stats = await run(clinic, STATS, Role.SUPERVISOR, clinicId=await clinic_of(clinic))
    return stats["overdueTasks"], stats["overdueWardTasks"]
