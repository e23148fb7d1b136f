"""The ward's records after an operation (seed 003's surgical flow, the ward's column).

- The observation (留观): after the operation the ward nurse carries out the doctor's orders and
  records what she sees ("护士根据医嘱执行术后护理以及记录登记"): a round every 15 to 30 minutes,
  the vital signs once an hour ("15-30 分钟巡视一次, 一个小时记录生命体征一次"), and after a general
  anaesthesia the client lies flat without a pillow and takes nothing by mouth for 6 hours
  ("全麻术后去枕平卧 6 小时、禁食 6 小时"). Each observation is one entry: when, the vital signs
  with their values, and under a general anaesthesia, within its 6 hours, whether she lies flat
  and takes nothing by mouth.
- The ward round (查房): the next day the doctor or the doctor's assistant goes to the ward to see
  the client operated on the day before, how she is recovering ("医生/医助第二天须到病房去查看...
  恢复情况怎么样"): when, what was found, whether she recovers as expected, and what is next.

Both are entries of the client's file (append-only; corrected by `amendClientEntry`, marked by
`markEnteredInError`) that name the surgery journey they follow. The checks here take the
entry's fields (snake_case, as the API's inputs carry them) and the moment the operation ended,
and answer the body to store and the problems, one per field under the API's camelCase name.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from domain.errors import FieldProblem, FieldProblemCode
from domain.text import text_problem

# How long after the operation the ward observes the client: her night in the ward, until the
# doctor's round of the next day takes over.
OBSERVATION_WINDOW = timedelta(hours=24)
# After a general anaesthesia: flat without a pillow, nothing by mouth (seed 003).
GENERAL_ANAESTHESIA_RULES = timedelta(hours=6)
# A round every 15 minutes for the whole window, at the most; and a few rounds the next day (the
# doctor's and the assistant's). Bounded so that the client's copy of her file stays bounded.
MAX_OBSERVATIONS_PER_JOURNEY = 100
MAX_WARD_ROUNDS_PER_JOURNEY = 4
MAX_NOTE = 4000


class Anaesthesia(str, Enum):
    """How the client was anaesthetised for the operation (seed 003: 局麻 / 全麻)."""

    GENERAL = "GENERAL"
    LOCAL = "LOCAL"


# Each vital sign: (its field, lowest, highest, unit). Values outside are no reading of a living
# client: a mistyped value, refused rather than kept.
VITALS: tuple[tuple[str, float, float, str], ...] = (
    ("systolic", 50, 260, "mmHg"),
    ("diastolic", 20, 160, "mmHg"),
    ("pulse", 20, 250, "beats a minute"),
    ("respiratory_rate", 4, 60, "breaths a minute"),
    ("temperature_celsius", 30, 43, "°C"),
    ("oxygen_saturation", 50, 100, "%"),
)
OPTIONAL_VITALS = frozenset({"oxygen_saturation"})
WHOLE_VITALS = frozenset({"systolic", "diastolic", "pulse", "respiratory_rate"})


@dataclass(frozen=True)
class Operation:
    """The surgery an entry follows: its journey and when the operation ended (the journey's
    `complete_treatment`), in the clinic's time zone; and the anaesthesia its procedure type
    names (None for a version published before the types named one: the nurse says)."""

    journey_id: str
    ended_at: datetime
    zone: ZoneInfo
    anaesthesia: Anaesthesia | None = None


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class _Checked:
    def __init__(self, fields: Mapping[str, Any], operation: Operation, now: datetime) -> None:
        self.fields = fields
        self.operation = operation
        self.now = now
        self.body: dict[str, Any] = {"journey_id": operation.journey_id}
        self.problems: list[FieldProblem] = []

    def problem(self, name: str, message: str, code: FieldProblemCode) -> None:
        self.problems.append(FieldProblem(_camel(name), message, code))

    def text(self, name: str, *, required: bool) -> None:
        value = self.fields.get(name)
        problem = text_problem(_camel(name), value, required=required, limit=MAX_NOTE)
        if problem:
            self.problems.append(problem)
        self.body[name] = value.strip() if isinstance(value, str) and not problem else None

    def moment(self, name: str) -> datetime | None:
        """A required moment, not in the future; stored in UTC."""
        value = self.fields.get(name)
        if not isinstance(value, datetime) or value.tzinfo is None:
            code = FieldProblemCode.REQUIRED if value is None else FieldProblemCode.BAD_FORMAT
            self.problem(name, "required, with its time zone", code)
            self.body[name] = None
            return None
        self.body[name] = value.astimezone(UTC).isoformat()
        if value > self.now:
            now = self.now.isoformat()
            self.problem(name, f"in the future (it is {now})", FieldProblemCode.OUT_OF_RANGE)
            return None
        if value < self.operation.ended_at:
            ended = self.operation.ended_at.isoformat()
            self.problem(
                name, f"before the operation ended ({ended})", FieldProblemCode.OUT_OF_RANGE
            )
            return None
        return value

    def flag(self, name: str, *, wanted: bool, why: str) -> None:
        value = self.fields.get(name)
        if wanted and value is None:
            self.problem(name, f"required {why}", FieldProblemCode.REQUIRED)
        elif not wanted and value is not None:
            self.problem(name, f"only {why}", FieldProblemCode.INCONSISTENT)
        self.body[name] = value if wanted else None


def vital_problems(vitals: Mapping[str, Any] | None) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The vital signs to store, and what is wrong with them (fields under `vitals.`)."""
    if vitals is None:
        required = "required: the vital signs with their values"
        return {}, [FieldProblem("vitals", required, FieldProblemCode.REQUIRED)]
    stored: dict[str, Any] = {}
    problems = []
    for name, lowest, highest, unit in VITALS:
        value = vitals.get(name)
        where = f"vitals.{_camel(name)}"
        if value is None:
            if name not in OPTIONAL_VITALS:
                problems.append(FieldProblem(where, "required", FieldProblemCode.REQUIRED))
            stored[name] = None
            continue
        if not lowest <= value <= highest:
            bounds = f"{lowest:g} to {highest:g} {unit}"
            problems.append(FieldProblem(where, bounds, FieldProblemCode.OUT_OF_RANGE))
        stored[name] = int(value) if name in WHOLE_VITALS else round(float(value), 1)
    systolic, diastolic = stored.get("systolic"), stored.get("diastolic")
    if systolic is not None and diastolic is not None and diastolic >= systolic:
        lower = "lower than the systolic pressure"
        problems.append(FieldProblem("vitals.diastolic", lower, FieldProblemCode.INCONSISTENT))
    return stored, problems


def check_observation(
    fields: Mapping[str, Any], operation: Operation, now: datetime
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """An observation in the ward after the operation."""
    c = _Checked(fields, operation, now)
    at = c.moment("observed_at")
    if at is not None and at > operation.ended_at + OBSERVATION_WINDOW:
        hours = int(OBSERVATION_WINDOW.total_seconds() // 3600)
        within = f"within {hours} hours of the operation's end"
        c.problem("observed_at", within, FieldProblemCode.OUT_OF_RANGE)
    anaesthesia = _anaesthesia(c, fields.get("anaesthesia"), operation.anaesthesia)
    c.body["vitals"], problems = vital_problems(fields.get("vitals"))
    c.problems += problems
    # Flat and fasting: asked while the rules of a general anaesthesia hold, never otherwise.
    held = (
        anaesthesia is Anaesthesia.GENERAL
        and at is not None
        and at < operation.ended_at + GENERAL_ANAESTHESIA_RULES
    )
    why = "within 6 hours of a general anaesthesia"
    c.flag("lying_flat", wanted=held, why=why)
    c.flag("nil_by_mouth", wanted=held, why=why)
    c.text("note", required=False)
    return c.body, c.problems


def _anaesthesia(c: _Checked, given: Any, named: Anaesthesia | None) -> Anaesthesia | None:
    """The operation's anaesthesia: the one its procedure type names, which the nurse need not
    say and may not contradict; else hers (a version from before the kinds)."""
    kind = Anaesthesia(given) if given is not None else named
    if kind is None:
        none = "required: the journey's procedure type names none"
        c.problem("anaesthesia", none, FieldProblemCode.REQUIRED)
    elif named is not None and kind is not named:
        given_so = f"{named.value}, as the journey's procedure type is given"
        c.problem("anaesthesia", given_so, FieldProblemCode.INCONSISTENT)
        kind = named
    c.body["anaesthesia"] = kind.value if kind is not None else None
    return kind


def check_ward_round(
    fields: Mapping[str, Any], operation: Operation, now: datetime
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The doctor's (or the assistant's) round on the day after the operation."""
    c = _Checked(fields, operation, now)
    at = c.moment("visited_at")
    if at is not None and at.astimezone(operation.zone).date().isoformat() != day_after(operation):
        day = f"on the day after the operation ({day_after(operation)})"
        c.problem("visited_at", day, FieldProblemCode.OUT_OF_RANGE)
    recovering = fields.get("recovering_as_expected")
    if recovering is None:
        c.problem("recovering_as_expected", "required", FieldProblemCode.REQUIRED)
    c.body["recovering_as_expected"] = recovering
    c.text("findings", required=True)
    c.text("next_step", required=True)
    return c.body, c.problems


def day_after(operation: Operation) -> str:
    """The day of the ward round, in the clinic's calendar (ISO)."""
    return (operation.ended_at.astimezone(operation.zone).date() + timedelta(days=1)).isoformat()
