"""What each entry of the client file must say, checked before anything is stored.

Each check takes the entry's fields (snake_case names, as the API's inputs carry them) and
answers the JSON body to store and the problems found, one per field under the API's
camelCase name. Dates are checked against the client's birth date and the clinic's today:
nothing in a file happens before the client was born or after today.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.client_file.kinds import (
    AllergySeverity,
    EntryKind,
    HistoryTopic,
    ServiceCardSection,
)
from domain.errors import FieldProblem, FieldProblemCode
from domain.text import has_visible_text, unreadable_problem

MAX_NOTE = 4000
MAX_NAME = 200
MAX_MINUTES = 24 * 60


@dataclass(frozen=True)
class Dates:
    """The bounds of any date in one client's file."""

    birth: date
    today: date


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class _Checked:
    """Collects a body and its problems field by field."""

    def __init__(self, fields: Mapping[str, Any], dates: Dates) -> None:
        self.fields = fields
        self.dates = dates
        self.body: dict[str, Any] = {}
        self.problems: list[FieldProblem] = []

    def problem(self, name: str, message: str, code: FieldProblemCode) -> None:
        self.problems.append(FieldProblem(_camel(name), message, code))

    def text(self, name: str, *, required: bool, limit: int = MAX_NOTE) -> None:
        value = self.fields.get(name)
        if value is None or not has_visible_text(str(value)):
            if required:
                self.problem(name, "required", FieldProblemCode.REQUIRED)
            self.body[name] = None
        elif len(value) > limit:
            self.problem(name, f"at most {limit} characters", FieldProblemCode.TOO_LONG)
        elif unreadable := unreadable_problem(value):
            self.problem(name, unreadable, FieldProblemCode.BAD_FORMAT)
        else:
            self.body[name] = value.strip()

    def day(self, name: str, *, required: bool) -> None:
        value = self.fields.get(name)
        self.body[name] = value.isoformat() if isinstance(value, date) else None
        if value is None:
            if required:
                self.problem(name, "required", FieldProblemCode.REQUIRED)
        elif value > self.dates.today:
            today = self.dates.today.isoformat()
            self.problem(name, f"in the future (today is {today})", FieldProblemCode.OUT_OF_RANGE)
        elif value < self.dates.birth:
            self.problem(name, "before the client's birth date", FieldProblemCode.OUT_OF_RANGE)

    def choice(self, name: str, kind: type[Any]) -> None:
        value = self.fields.get(name)
        if value is None:
            self.problem(name, "required", FieldProblemCode.REQUIRED)
            self.body[name] = None
        else:
            self.body[name] = kind(value).value

    def flag(self, name: str) -> None:
        value = self.fields.get(name)
        if value is None:
            self.problem(name, "required", FieldProblemCode.REQUIRED)
        self.body[name] = value


def _medical_history(c: _Checked) -> None:
    c.choice("topic", HistoryTopic)
    c.text("description", required=True)
    # An earlier treatment is named, so the catalogue can later match its products.
    treatment = c.body["topic"] in (HistoryTopic.EARLIER_TREATMENT, HistoryTopic.SURGERY)
    c.text("treatment", required=treatment, limit=MAX_NAME)
    c.day("treated_on", required=False)
    c.text("effect", required=False)


def _allergy(c: _Checked) -> None:
    c.text("substance", required=True, limit=MAX_NAME)
    c.text("reaction", required=True, limit=1000)
    c.choice("severity", AllergySeverity)


def _medication(c: _Checked) -> None:
    c.text("name", required=True, limit=MAX_NAME)
    c.text("dose", required=False, limit=MAX_NAME)
    c.day("since", required=False)
    c.day("stopped_on", required=False)
    since, stopped = c.fields.get("since"), c.fields.get("stopped_on")
    if since is not None and stopped is not None and stopped < since:
        before = f"before the day she began taking it ({since.isoformat()})"
        c.problem("stopped_on", before, FieldProblemCode.INCONSISTENT)
    c.text("note", required=False)


def _pregnancy_status(c: _Checked) -> None:
    c.flag("pregnant")
    c.flag("lactating")
    c.day("stated_on", required=True)  # they change: the date the client stated them
    c.text("note", required=False)


def _service_card(c: _Checked) -> None:
    c.choice("section", ServiceCardSection)
    c.text("note", required=True, limit=2000)
    section = ServiceCardSection(c.body["section"]) if c.body["section"] else None
    minutes, asked = c.fields.get("minutes"), c.fields.get("ask_about_results")
    if section is not None and section.timed:
        if minutes is None:
            c.problem("minutes", "required for a delay or a lateness", FieldProblemCode.REQUIRED)
        elif not 1 <= minutes <= MAX_MINUTES:
            c.problem("minutes", f"1 to {MAX_MINUTES}", FieldProblemCode.OUT_OF_RANGE)
        c.day("occurred_on", required=True)
    else:
        for name in ("minutes", "occurred_on"):
            if c.fields.get(name) is not None:
                only = "only for CLINIC_DELAY and CLIENT_LATENESS"
                c.problem(name, only, FieldProblemCode.INCONSISTENT)
        c.body["occurred_on"] = None
    c.body["minutes"] = minutes
    if section is ServiceCardSection.PHONE_WISHES and asked is None:
        ask = "required for PHONE_WISHES: may staff ask about results?"
        c.problem("ask_about_results", ask, FieldProblemCode.REQUIRED)
    elif section is not ServiceCardSection.PHONE_WISHES and asked is not None:
        c.problem("ask_about_results", "only for PHONE_WISHES", FieldProblemCode.INCONSISTENT)
    c.body["ask_about_results"] = asked


_CHECKS: dict[EntryKind, Callable[[_Checked], None]] = {
    EntryKind.MEDICAL_HISTORY: _medical_history,
    EntryKind.ALLERGY: _allergy,
    EntryKind.MEDICATION: _medication,
    EntryKind.PREGNANCY_STATUS: _pregnancy_status,
    EntryKind.SERVICE_CARD: _service_card,
}


def check_entry(
    kind: EntryKind, fields: Mapping[str, Any], dates: Dates
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The body to store for an entry of `kind`, and what is wrong with `fields`."""
    checked = _Checked(fields, dates)
    _CHECKS[kind](checked)
    return checked.body, checked.problems
