"""One row per mutation of the schema: how the exactly-once sweep changes a valid input of it
(the changed request under the same key must be a `Conflict`), and what one request writes when
that is more than a row in a table. The valid inputs come from the clinic's day the sweep walks
(`tests.api.exactly_once_day`); a mutation without a row here fails the sweep."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from schema.ids import encode_id
from tests.api.flow import CHECKS

Change = Callable[[dict[str, Any]], dict[str, Any]]
ELSEWHERE = encode_id("Journey", "journey-of-another-request")


@dataclass(frozen=True)
class Other:
    """The input with the field at `path` (dotted, list items by index) changed: to `value`
    when given, else text gets a word more, a flag flips, a number grows by one."""

    path: str
    value: Any = None

    def __call__(self, input: dict[str, Any]) -> dict[str, Any]:
        changed = copy.deepcopy(input)
        holder, last = _holder(changed, self.path)
        current = holder.get(last) if isinstance(holder, dict) else holder[last]
        if self.value is not None:
            holder[last] = self.value
        elif isinstance(current, bool):
            holder[last] = not current
        elif isinstance(current, int):
            holder[last] = current + 1
        elif isinstance(current, str):
            holder[last] = f"{current} changed"
        else:
            raise AssertionError(f"say what {self.path} becomes: it is {current!r}")
        assert changed != input, self.path
        return changed


def other(path: str, value: Any = None) -> Change:
    return Other(path, value)


def _holder(input: dict[str, Any], path: str) -> tuple[Any, Any]:
    """What holds the field at `path`, and the field's key in it (a list's: its index)."""
    holder: Any = input
    for part in path.split(".")[:-1]:
        holder = holder[int(part)] if isinstance(holder, list) else holder[part]
    last = path.split(".")[-1]
    return holder, int(last) if isinstance(holder, list) else last


# Longer than any column of the read model takes (the longest free text, 10,000 characters).
TOO_LONG = 20_000


def longer(path: str) -> Change:
    """The text at `path` made longer than any column takes: a check of the input's shape
    refuses it, before the key is looked at (a free text, a name, a code; an id names
    nothing)."""

    def change(input: dict[str, Any]) -> dict[str, Any]:
        changed = copy.deepcopy(input)
        holder, last = _holder(changed, path)
        holder[last] = (str(holder[last]) + " and more") * (TOO_LONG // 9)
        return changed

    return change


def unstorable(path: str) -> Change:
    """The text at `path` with a NUL character no database can store: refused before any
    resolver runs (`schema.input_check`)."""

    def change(input: dict[str, Any]) -> dict[str, Any]:
        changed = copy.deepcopy(input)
        holder, last = _holder(changed, path)
        holder[last] = f"{holder[last]}\x00"
        return changed

    return change


def checks_changed(input: dict[str, Any]) -> dict[str, Any]:
    """Pre-treatment checks sent where none were, or one of them told otherwise."""
    checks = input.get("checks") or {**CHECKS, "identityVerified": False}
    return {**input, "checks": {**checks, "identityVerified": not checks["identityVerified"]}}


@dataclass(frozen=True)
class Row:
    change: Change
    # Rows one request adds to a table, where that is more than one.
    adds: dict[str, int] = field(default_factory=dict)
    # Tables the mutation rewrites rather than adds to: read whole before and after each attempt.
    rewrites: tuple[str, ...] = ()
    # Whose only row is the audit trail's entry (not counted: see `exactly_once.NOT_COUNTED`).
    audited_only: bool = False
    # How the changed input is made one the mutation's checks refuse by its shape, when its
    # text made too long is not the way (its changed text, else its first text or id).
    refused: Change | None = None
    # The text (or id) made too long and unstorable, when not the changed one.
    text: str | None = None
    # Its first answer signs out the token it is sent with: every later request on that token
    # is refused as `NotAuthorized` (under its key a `Conflict`, the resolver asks), and text
    # the input check refuses is refused as such (no caller is signed in to own the key).
    signs_out: bool = False

    def refusals(self, changed: dict[str, Any]) -> dict[str, Change]:
        """The ways the sweep makes the changed input refused as well (`exactly_once`): by
        the mutation's own checks (`refused`), and by the input check before them (a NUL in
        the same text). None for an input of no text (a flag and the key)."""
        path = self._text_path(changed)
        ways: dict[str, Change] = {}
        if self.refused is not None or path is not None:
            ways["refused"] = self.refused or longer(str(path))
        if path is not None and not self.signs_out:
            ways["unstorable"] = unstorable(path)
        return ways

    def _text_path(self, changed: dict[str, Any]) -> str | None:
        if self.text is not None:
            return self.text
        if isinstance(self.change, Other):
            holder, last = _holder(changed, self.change.path)
            value = holder.get(last)
            if isinstance(value, str) and not NOT_TEXT.fullmatch(value):
                return self.change.path
        texts = [
            name
            for name, value in changed.items()
            if isinstance(value, str) and name != "idempotencyKey" and not NOT_TEXT.fullmatch(value)
        ]
        return texts[0] if texts else None


# An enum's value or a decimal number: sent as text, but no text (made longer, it is no value
# of the enum, no number: the request is refused as GraphQL refuses a document).
NOT_TEXT = re.compile("[A-Z][A-Z0-9_]*|-?[0-9]+(\\.[0-9]+)?")


# Signing in writes nothing a retry could repeat, and the caller has no account to own a key
# yet (see tests/unit/test_idempotency_keys.py).
WITHOUT_KEY = {"login": "signing in has no key: the caller has no account yet to own one"}

# A client is found again by name, phone and e-mail: a key of each kind.
MATCH_KEYS = {"ClientMatchKey": 3}
# A journey started checked in: its start and its check-in, each entering a stage.
STARTED_CHECKED_IN = {"JourneyEvent": 2, "JourneyStageCount": 2}

# The call's event and the recheck journey's start; the call's record and the recheck's; the
# doctor's task written, then linked to the recheck.
COMPLICATION = {"JourneyEvent": 2, "JourneyRecord": 2, "TaskChangeLog": 2}
# An account made without its name kept (straight in the database) keeps it with the new one.
RENAMED = {"StaffName": 2}

ROWS: dict[str, Row] = {
    # A changed input the mutation's own checks refuse (they run before the key is claimed):
    # a journey of no clinic is not found, under the key it is a Conflict still.
    "acceptClient": Row(other("journeyId", ELSEWHERE)),
    "addServiceCardEntry": Row(other("note")),
    "amendClientEntry": Row(other("reason")),
    "amendClientIdentity": Row(other("reason"), adds=MATCH_KEYS),
    "amendRecord": Row(other("reason")),
    "assignConsultant": Row(other("journeyId", ELSEWHERE)),
    "autoAssign": Row(other("sameConsultant", True)),
    "cancelJourney": Row(other("reason")),
    "changePassword": Row(other("newPassword"), rewrites=("StaffAccount",), signs_out=True),
    "checkIn": Row(other("note")),
    "claimWarranty": Row(other("reason")),
    "closeFollowUps": Row(other("reason")),
    "closeJourney": Row(other("reason")),
    "closeNotConverted": Row(other("reason")),
    "completeChecklistItem": Row(other("result")),
    "completeExpertReview": Row(other("points")),
    "completeFollowUp": Row(other("note")),
    "completeTask": Row(other("note")),
    "completeTreatment": Row(other("procedure")),
    "confirmBill": Row(other("signerName")),
    "consultantLeft": Row(other("reason")),
    "correctDeskRecord": Row(other("reason")),
    "createBill": Row(
        other("discount.amount.amount", "40.00"),
        refused=other("discount.amount.amount", "40.001"),
    ),
    "createClinic": Row(other("name")),
    "createStaffAccount": Row(other("displayName")),
    "deferConsent": Row(other("note")),
    "escalateJourney": Row(other("note")),
    # A client of no clinic: not found, but under the key a Conflict.
    "exportClientFile": Row(
        other("clientId", encode_id("Client", "client-of-another-request")), audited_only=True
    ),
    "handOver": Row(other("aftercare")),
    # Signing out prunes the signed-out tokens that have expired since (`sign_out_token`): after
    # earlier tests' short-lived sessions the table's count may not grow, its contents change.
    "logout": Row(other("everywhere"), rewrites=("RevokedToken",)),
    "markEmergency": Row(other("reason", "OTHER_ACUTE")),
    "markEnteredInError": Row(other("reason")),
    "markNoShow": Row(other("note")),
    "nudgeJourney": Row(other("note")),
    "overrideContraindication": Row(other("justification")),
    "placeVip": Row(other("reason")),
    # Another wording of the same consent; made another kind of consent, refused by the
    # template's published version (a new version keeps its kind), under the key a Conflict.
    "publishConsentTemplate": Row(other("texts.0.title"), refused=other("kind", "PHOTO")),
    "reassignClient": Row(other("reason")),
    # The review is asked of that expert already (by the first request): refused, but under
    # the key a Conflict.
    "reassignExpertReview": Row(other("reason")),
    "reassignJourney": Row(other("reason")),
    "reclassifyVisit": Row(other("reason")),
    "recordAllergy": Row(other("reaction")),
    "recordConsultation": Row(other("occupation")),
    "recordFileDisclosure": Row(other("purpose")),
    "recordComplaint": Row(other("description")),
    "respondToComplaint": Row(other("note")),
    "resolveComplaint": Row(other("note")),
    "signSharingConsent": Row(other("signerName")),
    # Her consents signed in the journey and for her, both withdrawn by one request. For
    # another client: not found, under the key a Conflict.
    "withdrawSharingConsent": Row(
        other("clientId", encode_id("Client", "client-elsewhere")),
        adds={"ConsentWithdrawal": 2},
    ),
    "recordLeadContact": Row(other("note")),
    "recordMedicalHistory": Row(other("description")),
    "recordMedication": Row(other("name")),
    "recordPayment": Row(other("receiptNumber")),
    "recordPregnancyStatus": Row(other("note")),
    "recordRefund": Row(other("reason")),
    "recordSurvey": Row(other("comment")),
    "recordPostOpObservation": Row(other("note")),
    "recordWardRound": Row(other("findings")),
    "registerClient": Row(other("fullName"), adds=MATCH_KEYS),
    "registerPartner": Row(other("name")),
    "reportComplication": Row(other("note"), adds=COMPLICATION),
    "reportComplicationCall": Row(other("note")),
    "requestExpertReview": Row(other("briefing.goal")),
    "resetStaffPassword": Row(other("temporaryPassword"), rewrites=("StaffAccount",)),
    "setAftercarePolicy": Row(other("warrantyDays"), rewrites=("AftercareSetting",)),
    "setBillingSettings": Row(other("discountThresholdPercent"), rewrites=("ClinicBilling",)),
    "setClinicDaysOff": Row(other("days.0.reason", "another reason"), rewrites=("ClinicDayOff",)),
    "setCatalogItem": Row(other("name")),
    "setKeyItemPriority": Row(other("reason")),
    # An account of no clinic: not found, but under the key a Conflict.
    "setRecordsCustodian": Row(
        other("staffId", encode_id("StaffMember", "staff-of-another-request"))
    ),
    "setPhotoConsent": Row(other("given")),
    # The same account with the title taken away: another request under the key.
    "setSeniorTitle": Row(other("seniorTitle"), rewrites=("StaffAccount",)),
    "setPriceListItem": Row(other("name")),
    "setProcedureType": Row(other("typeKey", "another-type")),
    "setRotationOrder": Row(
        lambda input: {**input, "consultantIds": input["consultantIds"][::-1]},
        text="consultantIds.0",
    ),
    "setRotationPolicy": Row(other("reason")),
    # No text but an enum's value: refused for a length of time out of range.
    "setStageSla": Row(
        other("seconds"), rewrites=("Clinic",), refused=other("seconds", 1_000_000_000)
    ),
    "signConsent": Row(other("signerName")),
    "startJourney": Row(other("reason"), adds=STARTED_CHECKED_IN),
    # A check left unconfirmed is refused before treatment, but under the key a Conflict.
    "startTreatment": Row(checks_changed),
    "updateStaffAccount": Row(other("displayName"), adds=RENAMED, rewrites=("StaffAccount",)),
    "updateTriageSeat": Row(other("reason")),
    "uploadPhoto": Row(other("bodyArea")),
    "withdrawConsent": Row(other("note")),
}
