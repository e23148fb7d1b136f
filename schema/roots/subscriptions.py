"""The Subscription root: every live view, refused or ended by the session and the
permission table."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, TypeVar

import strawberry
from strawberry.types import Info

from schema.aftercare import tasks as aftercare_tasks
from schema.aftercare.types import TaskUpdate
from schema.auth.watch import while_signed_in
from schema.context import Context
from schema.journeys.subscriptions import journey_changed
from schema.journeys.types import Journey
from schema.permissions import guard_subscription
from schema.supervision.alerts import JourneyAlert, my_journey_alerts
from schema.supervision.subscriptions import supervisor_board
from schema.supervision.types import BoardUpdate
from schema.triage.subscriptions import triage_board_changed
from schema.triage.types import TriageBoard

T = TypeVar("T")


def _live(info: Info[Context, None], source: AsyncGenerator[T, None]) -> AsyncGenerator[T, None]:
    """Every subscription: refused at once when the table says so, and ended when the
    caller's session ends (logout, deactivation, a new role or password, expiry)."""
    return guard_subscription(info, while_signed_in(info, source))


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="The journey now, then as of each later event (timers included), in order: "
        "one push per event, none skipped or repeated (`lastEventSeq` counts up by one). A "
        "consent withdrawn after the journey ended is no event and is not pushed: once "
        "`outcome` is set, read the journey's `history` after its `lastEventSeq`, and its "
        "`availableActions`, again (the answer of your own `withdrawConsent` already holds "
        "them). Ends with a "
        "NOT_FOUND error for a journey that is unknown or not in your clinic."
    )
    async def journey_changed(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The journey's id.")],
    ) -> AsyncGenerator[Journey, None]:
        async for journey in _live(info, journey_changed(info, id)):
            yield journey

    @strawberry.subscription(
        description="Stuck/unstuck journeys and stage counts, pushed as they change. A "
        "subscriber too far behind gets one RESYNC update instead of the changes it missed. "
        "Subscribing again after a lost connection, pass the last update's `cursor` as `after` "
        "to hear first of the changes that came meanwhile, each once (one RESYNC instead past "
        "200 of them, or for a cursor from beyond the log). Pass `announceStart: true` to hear "
        "STARTED first, and read `stuckJourneys` once you have it. Pass `complaintCounts: true` "
        "to hear COMPLAINTS as the clinic's complaint counts change. Ends with a NOT_FOUND error "
        "for a clinic not your own, a VALIDATION_FAILED one for an `after` not from this board, "
        "a NOT_AUTHORIZED one for `complaintCounts` asked by a role that may not read them."
    )
    async def supervisor_board(
        self,
        info: Info[Context, None],
        clinic_id: Annotated[strawberry.ID, strawberry.argument(description="Your clinic.")],
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The `cursor` of the last update you received; none: from now on."
            ),
        ] = None,
        announce_start: Annotated[
            bool,
            strawberry.argument(
                description="true: the first update is STARTED (no journey; the counts as they "
                "stand and a `cursor` to resume from), sent once every later change of the "
                "board will be pushed; read `stuckJourneys` when it comes, and the read and the "
                "updates after it miss none. The protocol acknowledges no subscription: "
                "`stuckJourneys` read before STARTED may run before the subscription starts, "
                "and a journey stuck in between is in neither. With `after`, STARTED carries "
                "that cursor and the changes you missed follow it. false: changes only."
            ),
        ] = False,
        complaint_counts: Annotated[
            bool,
            strawberry.argument(
                description="true: the board also says COMPLAINTS (no journey; "
                "`openComplaints` and `overdueComplaints` as they stand) each time a complaint "
                "of the clinic is recorded, answered or resolved, and at each moment complaints "
                "turn overdue as their first answer's due time passes unanswered (the server "
                "keeps the time: a screen needs no timer of its own). Each is said once and in "
                "order, and a board back with a `cursor` of this subscription hears those it "
                "missed, as it hears the journeys' changes (with a cursor that names no place "
                "among them, from then on). Only for roles that may read `journeyStats`' "
                "complaint counts. false: no COMPLAINTS updates, as before."
            ),
        ] = False,
    ) -> AsyncGenerator[BoardUpdate, None]:
        source = supervisor_board(info, clinic_id, after, announce_start, complaint_counts)
        async for update in _live(info, source):
            yield update

    @strawberry.subscription(
        description="Nudges, escalations, stuck alerts and reassignments on your journeys, from "
        "the moment you subscribe, each said once: those that came while you were behind are "
        "read back and said late rather than dropped. Subscribing again after a lost "
        "connection, pass the last alert's `cursor` as `after` to hear first of those that came "
        "meanwhile (your newest 200 at most, among your clinic's last 10,000 journey events)."
    )
    async def my_journey_alerts(
        self,
        info: Info[Context, None],
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The `cursor` of the last alert you received; none: from now on."
            ),
        ] = None,
    ) -> AsyncGenerator[JourneyAlert, None]:
        async for alert in _live(info, my_journey_alerts(info, after)):
            yield alert

    @strawberry.subscription(
        description="Your tasks as they change: each task of yours a journey event added or "
        "moved, one closed by `completeTask`, a photo reminder an `uploadPhoto` settled, a "
        "low score's task `recordSurvey` raised, one that turned overdue with time (once, "
        "as `myTasks(overdue: true)` first lists it); pushed as it is now. A subscriber too "
        "far behind gets one RESYNC update instead. Pass `announceStart: true` to hear "
        "STARTED first, and read `myTasks` once you have it."
    )
    async def tasks_changed(
        self,
        info: Info[Context, None],
        announce_start: Annotated[
            bool,
            strawberry.argument(
                description="true: the first push is STARTED (no task), sent once every later "
                "change of your list will be pushed; read `myTasks` when it comes, and pages "
                "and pushes merged by id miss none. The protocol acknowledges no subscription: "
                "`myTasks` read before STARTED may run before the subscription starts, and a "
                "task moved in between is in neither. false: changes only."
            ),
        ] = False,
    ) -> AsyncGenerator[TaskUpdate, None]:
        source = aftercare_tasks.tasks_changed(info, announce_start)
        async for update in _live(info, source):
            yield update

    @strawberry.subscription(
        description="The triage desk now, then as it changes (alerts included); each push is "
        "the whole board as it stands. Changes made close together (within one read of the "
        "feed, 0.2 s) may come as one push, its `version` then skipping the numbers "
        "between: nothing is lost, since the board is whole. Ends with a NOT_FOUND error for a "
        "clinic not your own."
    )
    async def triage_board_changed(
        self,
        info: Info[Context, None],
        clinic_id: Annotated[strawberry.ID, strawberry.argument(description="Your clinic.")],
    ) -> AsyncGenerator[TriageBoard, None]:
        async for board in _live(info, triage_board_changed(info, clinic_id)):
            yield board
