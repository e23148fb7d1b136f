"""The phone survey (seed 001 part I): `recordSurvey` and `surveyResults`.

A score of 2 or less puts a task on the supervisors' list at once. Results are per clinic,
per treating doctor (the one the treatment record names, `store.treating_doctor`, at the time
the survey is recorded) and per procedure type, for a month in the clinic's time zone.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import strawberry
from strawberry.types import Info
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from domain.aftercare import survey as rules
from domain.aftercare.tasks import Assignment, TaskKind
from domain.errors import ErrorCode, FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.journey.stages import TREATED_STAGES, Stage
from domain.months import MONTH_RULE, is_month
from domain.report_folds import fold_off_the_loop
from domain.roles import Role
from domain.store import records
from domain.store.aftercare import SurveyResponse as SurveyRow
from domain.store.client_lock import hold_client
from domain.store.escalations import open_escalated_task
from domain.store.models import Clinic
from domain.store.models import Journey as JourneyRow
from domain.store.phone_wishes import may_ask_about_results
from domain.store.procedure_reads import type_keys_of
from domain.store.task_projection import task_id
from domain.store.treating_doctor import treating_doctor
from schema import idempotency
from schema.aftercare.survey_groups import procedure_type_groups, type_key_of
from schema.aftercare.survey_types import (
    SurveyGroup,
    SurveyRecorded,
    SurveyResults,
    averages_view,
    survey_view,
)
from schema.audit.collector import note_write
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    ValidationFailed,
    from_domain,
    invalid,
    not_authorized,
    not_found,
)
from schema.journeys.actions import load_visible_journey
from schema.supervision.queries import visible_clinic
from schema.text import check_text

RecordSurveyResult = Annotated[
    SurveyRecorded | NotAuthorized | ValidationFailed | NotFound | Conflict,
    strawberry.union("RecordSurveyResult"),
]
SurveyResultsResult = Annotated[
    SurveyResults | NotAuthorized | ValidationFailed | NotFound,
    strawberry.union("SurveyResultsResult"),
]


def _score(description: str) -> int:
    return strawberry.field(description=f"{description}, 1 (worst) to 5 (best).")  # type: ignore[no-any-return]


@strawberry.input(description="The client's answers to the phone survey.")
class RecordSurveyInput:
    journey_id: strawberry.ID = strawberry.field(
        description="The treated client's journey (treatment done); refused (NOT_ALLOWED_NOW) "
        "when her service card's latest PHONE_WISHES says not to ask her about her results "
        "(`FollowUpTask.mayAskAboutResults` false)."
    )
    impression: int = _score("Overall impression of the clinic")
    trust_in_doctor: int = _score("Trust in the doctor")
    price_justified: int = _score("Whether the price was justified")
    quality: int = _score("Satisfaction with the quality of the treatment")
    comment: str | None = strawberry.field(default=None, description="What the client added.")
    idempotency_key: str | None = idempotency.key_field()


def _scores(input: RecordSurveyInput) -> dict[str, int]:
    return {
        "impression": input.impression,
        "trustInDoctor": input.trust_in_doctor,
        "priceJustified": input.price_justified,
        "quality": input.quality,
    }


async def record_survey(info: Info[Context, None], input: RecordSurveyInput) -> RecordSurveyResult:
    actor = info.context.actor
    if actor is None:
        return not_authorized()
    scores = _scores(input)
    problems = check_text("comment", input.comment, required=False) + rules.score_problems(scores)
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        problems.append(bad_key)
    if problems:
        return from_domain(DomainValidationFailed(problems))  # type: ignore[return-value]
    row = await load_visible_journey(info, input.journey_id)
    if row is None:
        return await idempotency.refusal_or_conflict(
            info, actor.user_id, input, not_found("journey")
        )
    # A retry of a survey taken before the rule refused it (during the treatment, or before
    # she asked not to be asked) is answered as it was.
    refused = await idempotency.refusal_answer(
        info, actor.user_id, input, await _not_now(info, row), went_through=_taken_under_key
    )
    if refused is not None:
        return refused
    ledger = await idempotency.claim(info, actor.user_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    survey_id = idempotency.answered(ledger) or idempotency.derived_id(ledger, "survey")
    survey_id = survey_id or str(uuid.uuid4())
    survey = await SurveyRow.get_or_none(id=survey_id)
    if survey is None:
        try:
            survey = await _write(row, survey_id, scores, input.comment, actor.user_id)
        except IntegrityError:
            # An attempt of this very request racing with this one recorded it first (the id
            # comes from the key); anything else is a fault.
            survey = await SurveyRow.get(id=survey_id)
        except SurveyTaken:
            return Conflict(code=ErrorCode.CONFLICT, message=ONE_SURVEY)
        except NotAsked:  # the key stays unsettled: once she allows it, it goes through
            return invalid("journeyId", NOT_ASKED, Code.NOT_ALLOWED_NOW)
    note_write(info, row.client_id)
    await idempotency.settle(actor.user_id, input, survey.id)
    return SurveyRecorded(survey=survey_view(survey), alerted=bool(rules.low_scores(survey.scores)))


# Seed 001's phone survey is the client's verdict on one treatment: asked once, after it
# ("Телефонный опрос пациентов после лечения"), so once the treatment is done, not while it is
# under way (a release before took it as soon as the treatment began).
NOT_DONE = "the journey's treatment is not done yet: the survey asks about it afterwards"
ONE_SURVEY = "the journey's survey is already recorded: one survey per treated journey"
# Seed 001's service card records whether to ask her about her results and her impressions of
# the clinic: the survey asks just that, so a client who said no is not surveyed.
NOT_ASKED = "she asked not to be asked about her results and impressions (service card)"


async def _not_now(info: Info[Context, None], journey: JourneyRow) -> ValidationFailed | None:
    """Why the journey's survey is not taken now: its treatment is not done, or her service
    card's latest PHONE_WISHES in force says not to ask her (read as her calls' tasks read it,
    `FollowUpTask.mayAskAboutResults`). None: it is taken."""
    if Stage(journey.stage) not in TREATED_STAGES:
        return invalid("journeyId", NOT_DONE, Code.NOT_ALLOWED_NOW)
    if await info.context.loaders.may_ask_about_results.load(journey.client_id) is False:
        return invalid("journeyId", NOT_ASKED, Code.NOT_ALLOWED_NOW)
    return None


async def _taken_under_key(ledger: records.KeyClaim) -> bool:
    derived = idempotency.derived_id(ledger, "survey")
    return derived is not None and await SurveyRow.exists(id=derived)


class SurveyTaken(Exception):
    """Another request recorded the journey's survey first."""


class NotAsked(Exception):
    """Her wish not to be asked about her results was recorded after the request read it."""


async def _write(
    journey: JourneyRow, survey_id: str, scores: dict[str, int], comment: str | None, by: str
) -> SurveyRow:
    clinic = await Clinic.get(id=journey.clinic_id)
    now = datetime.now(UTC)
    month = now.astimezone(ZoneInfo(clinic.timezone)).strftime("%Y-%m")
    doctor = await treating_doctor(journey.id, journey.clinic_id, journey.facts.get("expert_id"))
    async with in_transaction() as connection:
        # The journey's row locked (PostgreSQL; SQLite writes one at a time), so two surveys
        # of one journey sent at once find each other.
        await JourneyRow.filter(id=journey.id).select_for_update().using_db(connection).first()
        mine = await SurveyRow.filter(id=survey_id).using_db(connection).first()
        if mine is not None:  # this very request's racing attempt wrote it
            return mine
        if await SurveyRow.filter(journey_id=journey.id).using_db(connection).exists():
            raise SurveyTaken
        # Her wish read again under her lock: one written since the request read it stands
        await hold_client(journey.client_id)
        if (await may_ask_about_results([journey.client_id]))[0] is False:
            raise NotAsked
        survey = await SurveyRow.create(
            id=survey_id,
            clinic_id=journey.clinic_id,
            journey_id=journey.id,
            client_id=journey.client_id,
            doctor_id=doctor,
            procedure_type=await type_key_of(journey),
            month=month,
            scores=scores,
            comment=comment,
            recorded_by=by,
            recorded_at=now,
        )
        if rules.low_scores(scores):
            low_score = task_id(journey.id, survey_id, TaskKind.LOW_SURVEY_SCORE)
            # No journey event carries it (its seq is one the feed has sent): it is logged,
            # and `tasksChanged` finds it by that row, as it finds a task closed by hand.
            await open_escalated_task(
                low_score,
                clinic_id=journey.clinic_id,
                journey_id=journey.id,
                kind=TaskKind.LOW_SURVEY_SCORE,
                assignee=Assignment(Role.SUPERVISOR, None),
                at=now,
                journey_seq=journey.last_event_seq,
            )
    return survey


async def survey_results(
    info: Info[Context, None],
    clinic_id: Annotated[strawberry.ID, strawberry.argument(description="Your clinic.")],
    month: Annotated[str, strawberry.argument(description="YYYY-MM, in the clinic's time.")],
) -> SurveyResultsResult:
    if info.context.claims is None:
        return not_authorized()
    if not is_month(month):
        return from_domain(  # type: ignore[return-value]
            DomainValidationFailed([FieldProblem("month", MONTH_RULE, Code.BAD_FORMAT)])
        )
    if await visible_clinic(info, clinic_id) is None:
        return not_found("clinic")
    answers = await _counted_once(clinic_id, month)
    recorded = sorted({a["procedure_type"] for a in answers if a["procedure_type"]})
    type_keys = await type_keys_of(clinic_id, recorded)  # version ids among them, to their keys
    results = await fold_off_the_loop(rules.month_results, answers, type_keys)
    return SurveyResults(
        clinic_id=clinic_id,
        month=month,
        overall=averages_view(results.overall),
        by_doctor=[
            SurveyGroup(key=k, averages=averages_view(v)) for k, v in results.by_doctor.items()
        ],
        by_procedure_type=await procedure_type_groups(clinic_id, results.by_procedure_type),
    )


async def _counted_once(clinic_id: str, month: str) -> list[dict[str, Any]]:
    """The month's surveys, each journey's first only: a journey recorded more than one
    before `recordSurvey` refused a second, and each counted in every average."""
    surveyed = SurveyRow.filter(clinic_id=clinic_id, month=month)
    rows = await surveyed.values("id", "journey_id", "doctor_id", "procedure_type", "scores")
    if not rows:
        return []
    every = SurveyRow.filter(journey_id__in=Subquery(surveyed.values("journey_id")))
    first: dict[str, str] = {}
    for survey_id, journey_id in await every.order_by("recorded_at", "id").values_list(
        "id", "journey_id"
    ):
        first.setdefault(journey_id, survey_id)
    return [row for row in rows if first.get(row["journey_id"]) == row["id"]]
