"""The handover's discomfort notes (the procedure type's, unless the doctor adjusts them) and
the treating doctor's word on how the treatment went."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.procedures.template import LANGUAGES
from schema.context import Context
from schema.journeys.actions import load_visible_journey
from schema.procedures.journey_type import journey_procedure
from schema.text import check_text


async def discomfort_problems(
    info: Info[Context, None], journey_id: str, notes: Any | None
) -> list[FieldProblem]:
    """Notes given are checked part by part; none given is fine only when the journey has a
    procedure type to take them from."""
    if notes is None:
        row = await load_visible_journey(info, journey_id)
        if row is not None and await journey_procedure(row) is None:
            return [
                FieldProblem(
                    "discomfort", "required: the journey has no procedure type", Code.REQUIRED
                )
            ]
        return []
    problems: list[FieldProblem] = []
    # Every note has the same parts (seed 001): what may happen and when it passes, what means
    # call now, what to do, what it affects; a leaflet without "when it passes" leaves the
    # client to wonder whether a swelling on day five is still normal.
    for name in ("normal", "passes", "call_now", "self_care", "activities"):
        problems += check_text(f"discomfort.{name}", getattr(notes, name), required=True)
    if notes.language is not None and notes.language not in LANGUAGES:
        problems.append(
            FieldProblem(
                "discomfort.language", "one of " + ", ".join(LANGUAGES), Code.UNKNOWN_VALUE
            )
        )
    return problems


class TreatmentCourse(str, Enum):
    """How the treatment went, as the treating doctor tells the consultant at the handover:
    seed 003 9.1 "由治疗医生通知咨询师治疗结束,并对治疗效果进行简单评估" (the doctor tells the
    consultant that treatment ended, with a short assessment of it; seed 002 4.3, DOMAIN.md
    stage 8)."""

    AS_PLANNED = "AS_PLANNED"
    WITH_DEVIATIONS = "WITH_DEVIATIONS"


strawberry.enum(TreatmentCourse, name="TreatmentCourse")


def course_problems(course: TreatmentCourse | None, note: str | None) -> list[FieldProblem]:
    """The assessment is required (null only in the schema, for clients written before it
    was); a treatment that went otherwise than planned says how, since the consultant and the
    callers after them cannot ask the operating room later."""
    required = course is TreatmentCourse.WITH_DEVIATIONS
    problems = check_text("courseNote", note, required=required)
    if course is None:
        problems.insert(
            0, FieldProblem("course", "required: how the treatment went", Code.REQUIRED)
        )
    return problems
