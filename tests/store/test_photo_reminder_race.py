"""A treatment's photo reminders written while the client withdraws her consent to photos for the
clinical record, on PostgreSQL (its transactions run side by side under READ COMMITTED; SQLite
has one writer at a time, and the treatment's check and write are one transaction there).

The treatment checks her consent, then writes the reminders; the withdrawal commits its change,
then closes the open reminders it can see. Run side by side without a shared lock, the treatment
found the consent standing, the withdrawal found no reminder yet, and the treatment then wrote
them open: listed, and falling overdue, for photos no one may upload. Whichever commits second
must see the other: the reminders end closed as NO_PHOTO_CONSENT, each with its closing record.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from domain.aftercare.tasks import TaskKind, TaskStatus
from domain.journey.facts import JourneyChange, JourneyEvent
from domain.journey.stages import Stage
from domain.journey.table import Action
from domain.photos.purposes import PhotoPurpose
from domain.store import photo_tasks, photos
from domain.store.aftercare import FollowUpTask, TaskClosing
from domain.store.models import Journey
from domain.store.photo_tasks import CONSENT_WITHDRAWN, close_without_consent
from domain.store.photos import change_unless_standing, withdrew_given
from domain.store.projection import apply_change
from schema.photos.signed_purposes import record_signed_purposes, withdraw_signed_purposes
from schema.procedures.publish import publish_version
from server.procedure_seeds import FILLER
from tests.store.held_race import Held, raced
from tests.store.stage_plan import START, clinic_with_client, opening_facts
from tests.support import DESK, NURSE

pytestmark = pytest.mark.postgres

AT = START + timedelta(days=1)
BY = (DESK.user_id, DESK.role.value)  # who records the withdrawal


@pytest.fixture
async def observer(database: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection of its own, outside the pool, that watches who waits for whom."""
    connection = await asyncpg.connect(database, timeout=10)
    yield connection
    await connection.close()


async def _in_treatment() -> tuple[JourneyChange, Journey]:
    """A journey of a new client, planned as a filler (a photo before, one at two weeks), in
    treatment: the change that completes it, and its row."""
    clinic_id, client_id = await clinic_with_client("photo-race")
    version = await publish_version(f"filler-{uuid.uuid4()}", clinic_id, "s-1", "filler", FILLER)
    assert version is not None
    facts = opening_facts(f"journey-{uuid.uuid4()}", clinic_id, client_id)
    facts.procedure_type_version_id = version.id
    opened = JourneyEvent(facts.journey_id, 1, "START", None, Stage.TREATMENT, DESK, START, "")
    await apply_change(JourneyChange(opened, dataclasses.replace(facts, event_seq=1)))
    done, stage = Action.COMPLETE_TREATMENT.value, Stage.TREATMENT
    treated = JourneyEvent(facts.journey_id, 2, done, stage, Stage.HANDOVER, NURSE, AT, "")
    after = dataclasses.replace(facts, stage=Stage.HANDOVER, event_seq=2)
    return JourneyChange(treated, after), await Journey.get(id=facts.journey_id)


async def _by_word(journey: Journey, given: bool) -> None:
    """The clinical record given or withdrawn by `setPhotoConsent`: its change under the
    client's lock, then, for a withdrawal that took it back, her reminders closed."""
    row = await change_unless_standing(
        str(uuid.uuid4()),
        journey.client_id,
        PhotoPurpose.CLINICAL_RECORD,
        given,
        clinic_id=journey.clinic_id,
        signature_id=None,
        recorded_by=BY[0],
        recorded_by_role=BY[1],
    )
    if await withdrew_given(row):
        await close_without_consent(journey.client_id, BY)


def _withdrawn_by_word(journey: Journey) -> Callable[[], Awaitable[None]]:
    return lambda: _by_word(journey, False)


def _withdrawn_signature(journey: Journey) -> Callable[[], Awaitable[None]]:
    """The signed PHOTO consent's withdrawal (`withdrawConsent`)."""
    seed = f"withdrawal-{uuid.uuid4()}"
    return lambda: withdraw_signed_purposes(journey, seed, BY, datetime.now(UTC))


async def _reminders(journey_id: str) -> list[tuple[str, bool]]:
    """Each photo reminder's status, and whether it has its closing record for the withdrawal."""
    tasks = await FollowUpTask.filter(journey_id=journey_id, kind=TaskKind.PHOTO.value)
    closings = TaskClosing.filter(task_id__in=[task.id for task in tasks], note=CONSENT_WITHDRAWN)
    closed = set(await closings.values_list("task_id", flat=True))
    return sorted((task.status, task.id in closed) for task in tasks)


CLOSED = [(TaskStatus.NO_PHOTO_CONSENT.value, True)] * len(FILLER.photo_schedule)


async def _signed(journey: Journey) -> None:
    """The clinical record given by a signed PHOTO consent."""
    purposes = [PhotoPurpose.CLINICAL_RECORD]
    await record_signed_purposes(journey, purposes, f"signing-{uuid.uuid4()}", None, BY)


Give = Callable[[Journey], Awaitable[None]]
Withdrawal = Callable[[Journey], Callable[[], Awaitable[None]]]
# How she gives her consent, and withdraws it the same way: by word (`setPhotoConsent`) or by a
# signed PHOTO consent (`withdrawConsent`)
WAYS: dict[str, tuple[Give, Withdrawal]] = {
    "by word": (lambda journey: _by_word(journey, True), _withdrawn_by_word),
    "signed": (_signed, _withdrawn_signature),
}


@pytest.mark.parametrize("way", list(WAYS))
async def test_a_withdrawal_while_the_treatment_writes_closes_its_reminders(
    observer: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    give, withdrawal = WAYS[way]
    # Given a client who gave her consent to photos for the clinical record, and her treatment's
    # write held once it found that consent standing
    treatment, journey = await _in_treatment()
    await give(journey)
    held = Held()
    monkeypatch.setattr(photo_tasks, "taken_back", held.after(photos.taken_back))
    # When she withdraws it meanwhile, the way she gave it
    await raced(observer, held, apply_change(treatment), withdrawal(journey))
    # Then the reminders the treatment wrote are closed for the withdrawal
    assert await _reminders(journey.id) == CLOSED


async def test_a_treatment_while_the_withdrawal_is_written_writes_its_reminders_closed(
    observer: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a client who gave her consent to photos for the clinical record, and its withdrawal
    # held under her lock once it found the consent standing
    treatment, journey = await _in_treatment()
    await _by_word(journey, True)
    held = Held()
    monkeypatch.setattr(photos, "_latest_of", held.after(photos._latest_of))
    # When her treatment is recorded meanwhile
    await raced(observer, held, _by_word(journey, False), lambda: apply_change(treatment))
    # Then its reminders are closed for the withdrawal
    assert await _reminders(journey.id) == CLOSED
