from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from domain.journey.stages import Stage
from domain.journey.stuck_reasons import StuckReason
from domain.store.complaints import overdue_count, unresolved_count
from domain.store.stats import StageCount
from schema.context import Context
from schema.journeys.types import Journey
from schema.pagination import PageInfo


@strawberry.type(description="A journey past its stage SLA: why, since when, how long over.")
class StuckJourney:
    journey: Journey
    stage: Stage
    reason: str
    reason_code: StuckReason
    since: datetime
    overdue_seconds: int


@strawberry.type
class StuckJourneyEdge:
    cursor: str
    node: StuckJourney


@strawberry.type
class StuckJourneyConnection:
    edges: list[StuckJourneyEdge]
    page_info: PageInfo


@strawberry.type(
    description="One stage on the board: how many journeys wait there, how many stuck."
)
class StageStats:
    stage: Stage
    active: int
    stuck: int
    median_seconds_in_stage_today: float | None

    @classmethod
    def from_count(cls, count: StageCount) -> StageStats:
        return cls(
            stage=Stage(count.stage),
            active=count.active,
            stuck=count.stuck,
            median_seconds_in_stage_today=count.median_seconds_today,
        )


@strawberry.enum(
    description="What changed on the supervisor's board. STUCK: a journey ran past its stage's "
    "SLA. UNSTUCK: it no longer is. MOVED: it changed otherwise. RESYNC: you fell too far behind "
    "and the changes in between were dropped; read the board again (`stuckJourneys`, "
    "`journeyStats`); it comes without a journey. STARTED: only with "
    "`supervisorBoard(announceStart: true)`, as its first update: read `stuckJourneys` now; it "
    "comes without a journey. COMPLAINTS: only with `supervisorBoard(complaintCounts: true)`: a "
    "complaint of the clinic was recorded, answered or resolved, or complaints turned overdue "
    "as their first answer's due time passed unanswered (one update for each such moment); "
    "`openComplaints` and `overdueComplaints` give the counts; it comes without a journey."
)
class BoardChange(str, Enum):
    STUCK = "STUCK"
    UNSTUCK = "UNSTUCK"
    MOVED = "MOVED"
    RESYNC = "RESYNC"
    STARTED = "STARTED"
    COMPLAINTS = "COMPLAINTS"


@strawberry.type(description="Something changed on the supervisor's board.")
class BoardUpdate:
    change: BoardChange = strawberry.field(description="What changed.")
    journey: Journey | None = strawberry.field(
        description="The journey that changed, as the change left it (a change heard late, "
        "or replayed after `after:`, is told as it was then); null with `RESYNC`, `STARTED` "
        "and `COMPLAINTS`."
    )
    stuck_reason_code: StuckReason | None = strawberry.field(
        description="Why the journey counts as stuck, as the change left it (the code of "
        "`stuckJourneys`' `reasonCode`): with `STUCK`, and with `MOVED` of a journey that stays "
        "stuck (nudged, say); null when it is not stuck, and with `RESYNC`, `STARTED` and "
        "`COMPLAINTS`."
    )
    stats: list[StageStats] = strawberry.field(
        description="The stage counts after the change (with `RESYNC`, `STARTED` and "
        "`COMPLAINTS`, as they stand)."
    )
    cursor: strawberry.ID = strawberry.field(
        description="Where the board was in your clinic's journey log with this update (and, "
        "with `complaintCounts: true`, among its complaints' changes): pass the last one you "
        "received as `supervisorBoard(after:)` when you subscribe again, to hear first of the "
        "changes that came since, and of any said after this one that you had not received (an "
        "opaque string of up to about 1,350 characters, sealed by the server: store it whole; "
        "one changed is refused, and two updates at one place carry different cursors)."
    )
    clinic_id: strawberry.Private[str] = ""

    @strawberry.field(
        description="The clinic's complaints not resolved, as they stand when this update is "
        "said (`journeyStats`' `openComplaints`), whatever its `change`; a `COMPLAINTS` update "
        "comes as soon as it changes, with `supervisorBoard(complaintCounts: true)`."
    )
    async def open_complaints(self) -> int:
        return await unresolved_count(self.clinic_id)

    @strawberry.field(
        description="Of `openComplaints`, those unanswered past their first answer's due time, "
        "as they stand when this update is said (`journeyStats`' `overdueComplaints`). With "
        "`supervisorBoard(complaintCounts: true)` it is never stale for long: a complaint "
        "recorded, answered or resolved, and each moment complaints turn overdue as their due "
        "time passes unanswered, come as a `COMPLAINTS` update, so a screen needs no timer."
    )
    async def overdue_complaints(self, info: Info[Context, None]) -> int:
        return await overdue_count(self.clinic_id, info.context.config.clock.now())
