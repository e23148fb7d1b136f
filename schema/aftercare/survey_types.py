"""The survey's GraphQL types."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.aftercare import survey as rules
from domain.store.aftercare import SurveyResponse as SurveyRow
from schema.ids import encode_id
from schema.procedures.types import LocalizedText


@strawberry.type(description="One phone survey as recorded.")
class SurveyResponse:
    id: strawberry.ID = strawberry.field(description="The survey's id.")
    journey_id: strawberry.ID = strawberry.field(description="The journey's global id.")
    impression: int = strawberry.field(description="Impression of the clinic, 1 to 5.")
    trust_in_doctor: int = strawberry.field(description="Trust in the doctor, 1 to 5.")
    price_justified: int = strawberry.field(description="Price justified, 1 to 5.")
    quality: int = strawberry.field(description="Quality of the treatment, 1 to 5.")
    comment: str | None = strawberry.field(description="What the client added.")
    low_scores: list[str] = strawberry.field(
        description="The questions scored 2 or less (their field names); any alerts a supervisor."
    )
    recorded_at: datetime = strawberry.field(description="When, in UTC.")


def survey_view(row: SurveyRow) -> SurveyResponse:
    scores = row.scores
    return SurveyResponse(
        id=strawberry.ID(str(row.id)),
        journey_id=strawberry.ID(encode_id("Journey", row.journey_id)),
        impression=scores["impression"],
        trust_in_doctor=scores["trustInDoctor"],
        price_justified=scores["priceJustified"],
        quality=scores["quality"],
        comment=row.comment,
        low_scores=rules.low_scores(scores),
        recorded_at=row.recorded_at,
    )


@strawberry.type(description="The survey is recorded.")
class SurveyRecorded:
    survey: SurveyResponse = strawberry.field(description="The answers as recorded.")
    alerted: bool = strawberry.field(
        description="A score was low: a task is on the supervisors' list."
    )


@strawberry.type(description="Average scores of a set of surveys (null when there are none).")
class SurveyAverages:
    responses: int = strawberry.field(description="How many surveys.")
    impression: float | None = strawberry.field(description="Average impression of the clinic.")
    trust_in_doctor: float | None = strawberry.field(description="Average trust in the doctor.")
    price_justified: float | None = strawberry.field(description="Average 'price justified'.")
    quality: float | None = strawberry.field(description="Average satisfaction with quality.")
    low_responses: int = strawberry.field(description="Surveys with at least one low score.")


def averages_view(values: rules.Averages) -> SurveyAverages:
    return SurveyAverages(
        responses=values.responses,
        impression=values.scores["impression"],
        trust_in_doctor=values.scores["trustInDoctor"],
        price_justified=values.scores["priceJustified"],
        quality=values.scores["quality"],
        low_responses=values.low_responses,
    )


@strawberry.type(description="The averages of one doctor or one procedure type.")
class SurveyGroup:
    key: str = strawberry.field(
        description="The doctor's account id (empty: no doctor named) or the procedure type's "
        "key (UNSPECIFIED: the journey named none)."
    )
    averages: SurveyAverages = strawberry.field(description="Their averages.")
    names: list[LocalizedText] = strawberry.field(
        default_factory=list,
        description="The procedure type's names for clients (its newest version), one per "
        "language; empty for a doctor and for UNSPECIFIED.",
    )


@strawberry.type(description="A clinic's survey results for one month.")
class SurveyResults:
    clinic_id: strawberry.ID = strawberry.field(description="The clinic.")
    month: str = strawberry.field(description="YYYY-MM, in the clinic's time.")
    overall: SurveyAverages = strawberry.field(description="The whole clinic.")
    by_doctor: list[SurveyGroup] = strawberry.field(
        description="Per treating doctor: the performer `completeTreatment` named (as a "
        "correction of that record left it) when a doctor, else the expert who approved the "
        "plan, as it stood when the survey was recorded."
    )
    by_procedure_type: list[SurveyGroup] = strawberry.field(description="Per procedure type.")
