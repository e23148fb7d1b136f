"""One clinic's day through the real API, every mutation that takes free text at least once,
each free-text input holding its canary marker (see `tests.api.canary`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from domain.auth import hash_password
from domain.roles import Role
from domain.store import records
from domain.store.models import IdempotencyKey
from schema.ids import decode_id, encode_id
from server.seed import DEMO_PASSWORD
from tests.api.canary import Canary
from tests.api.canary_aftercare import follow_up_with_aftercare
from tests.api.canary_gate import gated_plan, pass_the_gate
from tests.api.flow import CHECKS
from tests.api.harness import Api, Staff, create_clinic, sign_in_all
from tests.api.price_codes import list_codes
from tests.staff_rows import more_consultants, staff_account
from workflows.partner import partner_workflow_id
from workflows.triage import desk_workflow_id

JOURNEY = (
    "... on JourneyPayload { journey { id stage history { seq action } followUps { id status } } }"
)
# Codes, not text: the price, its currency and the price-list lines (none: the bill names its own).
PLAN_CODES = {"price": "1200.00", "currency": "EUR", "priceLines": []}
# Her earlier treatments: one, each of its texts marked; or that she has had none (a flag).
ASKED = {"earlierTreatments": [{}]}
NONE_BEFORE = {"noEarlierTreatments": True}


@dataclass
class Visit:
    """The run's clinic: its staff, the extra consultants, and every journey it opened."""

    api: Api
    canary: Canary
    clinic: str
    staff: dict[Role, Staff]
    consultants: list[str] = field(default_factory=list)
    journeys: list[str] = field(default_factory=list)
    # Idempotency keys front desk sends: Temporal must hold the update ids derived from them
    # (the scan must find those) and never the keys themselves.
    controls: dict[str, str] = field(default_factory=dict)
    partners: list[str] = field(default_factory=list)
    # An expert of the clinic, not signed in, away when a review waits on them.
    away_expert: str = ""
    # The journey whose refused hand-over the worker logs.
    handed_back: str = ""

    def token(self, role: Role) -> str:
        return self.staff[role].token

    async def control_update_ids(self) -> dict[str, str]:
        """The update ids the control keys' claims derived (from each claim's salt)."""
        account = self.staff[Role.FRONT_DESK].account_id
        ids = {}
        for kind, key in self.controls.items():
            claim = await IdempotencyKey.get(account_id=account, key=key)
            assert claim.salt, claim  # written by this release: ids derive from its salt
            ids[kind] = records.derived_id(claim.salt, "update")
        return ids

    def key_derived_update_ids(self) -> dict[str, str]:
        """The update ids the control keys alone would derive (as releases before salts did):
        anyone guessing a key could check those."""
        account = self.staff[Role.FRONT_DESK].account_id
        return {
            kind: records.derived_id(f"{account}:{key}", "update")
            for kind, key in self.controls.items()
        }

    def workflow_ids(self) -> set[str]:
        """The journeys' workflow ids and the desk's: what Temporal must list for this run."""
        raw = {decode_id(journey, "Journey") or "" for journey in self.journeys}
        clocks = {partner_workflow_id(decode_id(p, "Partner") or "") for p in self.partners}
        return raw | clocks | {desk_workflow_id(self.clinic)}

    async def call(
        self, role: Role | None, mutation: str, expect: str, select: str = "", **given: Any
    ) -> dict[str, Any]:
        document = self.canary.document(mutation, select)
        token = self.token(role) if role else None
        data = await self.api.run(document, token, input=self.canary.fill(mutation, given))
        result: dict[str, Any] = data[mutation]
        assert result["__typename"] == expect, (mutation, result)
        return result

    async def step(self, role: Role, mutation: str, journey: str, **given: Any) -> dict[str, Any]:
        """A journey action; answers the journey after it."""
        result = await self.call(
            role, mutation, "JourneyPayload", JOURNEY, journeyId=journey, **given
        )
        return result["journey"]  # type: ignore[no-any-return]

    async def desk(self, role: Role, mutation: str, **given: Any) -> None:
        await self.call(role, mutation, "TriageBoardPayload", **given)

    async def client(self, *, marked: bool = False) -> str:
        """A registered client; `marked` types the canary into name, phone, e-mail, occupation."""
        plain = {"fullName": "Client", "phone": "+48 600 000 000", "occupation": "none"}
        given = {"birthDate": "1990-01-01", "dataConsent": True, **({} if marked else plain)}
        given["registerAnyway"] = True  # every plain client of the canary shares its data
        select = "... on ClientPayload { client { id } }"
        if not marked:
            given["email"] = "client@example.com"
        result = await self.call(
            Role.FRONT_DESK, "registerClient", "ClientPayload", select, **given
        )
        return str(result["client"]["id"])

    async def start(self, *, checked_in: bool = True, client: str | None = None) -> str:
        journey = await self.call(
            Role.FRONT_DESK,
            "startJourney",
            "JourneyPayload",
            JOURNEY,
            clientId=client or await self.client(),
            checkedIn=checked_in,
        )
        self.journeys.append(journey["journey"]["id"])
        return str(journey["journey"]["id"])


async def open_clinic(api: Api, canary: Canary) -> Visit:
    """A fresh clinic with its staff signed in, two more consultants and an expert (not signed
    in)."""
    clinic = f"clinic-{canary.run}"
    prefix = f"{clinic}-"
    await create_clinic(clinic, prefix=prefix)
    visit = Visit(api, canary, clinic, await sign_in_all(api, prefix=prefix))
    visit.consultants.append(visit.staff[Role.CONSULTANT].global_id)
    password_hash = hash_password(DEMO_PASSWORD)
    visit.consultants += await more_consultants(clinic, prefix, (1, 2), password_hash)
    away = await staff_account(clinic, f"{prefix}e2", Role.EXPERT, display_name="Expert away")
    visit.away_expert = encode_id("StaffMember", away.id)
    visit.controls = {kind: f"control-{canary.run}-{kind}" for kind in ("desk", "journey")}
    await list_codes(clinic, "skin", "breast")  # the item codes the day asks the desk for
    return visit


async def sign_in_with_the_canary(visit: Visit) -> None:
    await visit.call(None, "login", "NotAuthorized")


async def open_the_desk(visit: Visit) -> None:
    """Seats, the clinic's own policy, the order and the key-item staff: each with its reason."""
    own, first, second = visit.consultants
    key = visit.controls["desk"]
    for consultant in visit.consultants:
        await visit.desk(
            Role.FRONT_DESK,
            "updateTriageSeat",
            consultantId=consultant,
            onDuty=True,
            scope=[],
            idempotencyKey=key if consultant == own else None,
        )
    await visit.desk(Role.SUPERVISOR, "setRotationPolicy", keyItems=["breast"])
    await visit.desk(Role.SUPERVISOR, "setRotationOrder", consultantIds=[own, first, second])
    await visit.desk(Role.SUPERVISOR, "setKeyItemPriority", consultantIds=[first])


async def treat_one_client(visit: Visit) -> str:
    """A walk-in from reception to the end of its follow-ups, every record written with markers."""
    client = await visit.client(marked=True)
    journey = await visit.start(client=client)
    assign = await visit.call(
        Role.FRONT_DESK,
        "autoAssign",
        "AutoAssignPayload",
        "... on AutoAssignPayload { decision { consultantId } }",
        journeyId=journey,
        items=["skin"],
    )
    assert assign["decision"]["consultantId"] == visit.consultants[0], assign
    await visit.desk(Role.FRONT_DESK, "acceptClient", journeyId=journey)
    await visit.step(
        Role.CONSULTANT, "recordConsultation", journey, needs=ASKED, plans=[PLAN_CODES]
    )
    # The review asked of an expert who is away, handed by the supervisor to one who is here
    away = visit.away_expert
    await visit.step(Role.CONSULTANT, "requestExpertReview", journey, expertId=away)
    expert = visit.staff[Role.EXPERT].global_id
    await visit.step(Role.SUPERVISOR, "reassignExpertReview", journey, expertId=expert)
    final = {
        "decision": "APPROVE",
        "points": "as discussed",
        "finalPlan": await gated_plan(visit, client, PLAN_CODES),
    }
    await visit.step(Role.EXPERT, "completeExpertReview", journey, **final)
    await visit.step(Role.CONSULTANT, "deferConsent", journey)  # a second talk first
    # Photos for marketing, on a paper form: a consent that outlives the visit
    photos = {"kind": "PHOTO", "rightsExplained": True, "photoPurposes": ["MARKETING"]}
    await visit.step(Role.NURSE, "signConsent", journey, **photos)
    # Signed by a guardian (the marked name), drawn as SVG path data (its own marker).
    drawn = {"format": "SVG_PATH"}
    consent = {"kind": "PROCEDURE", "rightsExplained": True, "signature": drawn}
    await visit.step(Role.NURSE, "signConsent", journey, **consent)
    payment = {"amount": "1200.00", "currency": "EUR", "method": "CARD", "kind": "FULL"}
    await visit.step(Role.CASHIER, "recordPayment", journey, **payment)
    await pass_the_gate(visit, journey)  # a contraindication, overridden by the expert
    await visit.step(Role.NURSE, "startTreatment", journey, checks=CHECKS)
    performer = visit.staff[Role.NURSE].global_id
    products = [{}]  # every field of a product is text: all marked
    await visit.step(
        Role.NURSE, "completeTreatment", journey, performerId=performer, products=products
    )
    await visit.step(  # every part marked, and every word of a medicine she takes home
        Role.NURSE,
        "handOver",
        journey,
        discomfort={},
        course="WITH_DEVIATIONS",
        prescriptions=[{"days": 5}],
        noPrescriptionReason=None,
    )
    # Withdrawn after the treatment: recorded, and the care goes on.
    await visit.step(Role.NURSE, "withdrawConsent", journey, kind="PROCEDURE")
    done = await follow_up_with_aftercare(visit, journey)
    assert done["stage"] == "COMPLETED", done
    # The photo consent withdrawn once the journey has ended: recorded without the journey
    await visit.step(Role.FRONT_DESK, "withdrawConsent", journey, kind="PHOTO")
    consultation = next(e for e in done["history"] if e["action"] == "record_consultation")
    await visit.call(
        Role.SUPERVISOR,
        "amendRecord",
        "AmendmentPayload",
        journeyId=journey,
        seq=consultation["seq"],
    )
    return journey


async def walk_the_other_paths(visit: Visit) -> None:
    """Every other way a journey goes, and the supervisor's desk overrides."""
    own, first, second = visit.consultants
    handed_on = await visit.start()
    assign = {"journeyId": handed_on, "items": ["skin"]}
    await visit.call(Role.FRONT_DESK, "autoAssign", "AutoAssignPayload", **assign)
    worse = {"journeyId": handed_on, "reason": "CONDITION_WORSENED"}
    await visit.desk(Role.FRONT_DESK, "markEmergency", **worse)
    ruled_out = {
        "journeyId": handed_on,
        "category": "OTHER",
        "rule": "RULED_OUT_BY_MEDICAL_DIRECTOR",
    }
    await visit.call(Role.SUPERVISOR, "reclassifyVisit", "ReclassifyVisitPayload", **ruled_out)
    rule = {"rule": "CLIENT_REQUEST", "journeyId": handed_on, "consultantId": own}
    await visit.desk(Role.SUPERVISOR, "reassignClient", **rule)
    await visit.step(Role.SUPERVISOR, "nudgeJourney", handed_on)
    await visit.step(Role.SUPERVISOR, "escalateJourney", handed_on)
    await visit.step(Role.SUPERVISOR, "reassignJourney", handed_on, consultantId=second)
    await visit.step(Role.SUPERVISOR, "closeJourney", handed_on)

    vip = await visit.start(checked_in=False)
    await visit.step(Role.FRONT_DESK, "checkIn", vip, idempotencyKey=visit.controls["journey"])
    placed = {"journeyId": vip, "consultantId": own}
    await visit.call(Role.SUPERVISOR, "placeVip", "AutoAssignPayload", **placed)
    await visit.step(
        Role.CONSULTANT, "recordConsultation", vip, needs=NONE_BEFORE, plans=[PLAN_CODES]
    )
    await visit.step(Role.SUPERVISOR, "closeNotConverted", vip)

    await visit.step(Role.FRONT_DESK, "markNoShow", await visit.start(checked_in=False))
    await visit.step(Role.FRONT_DESK, "cancelJourney", await visit.start())
    lead = {"clientId": await visit.client(), "consultantId": own, "channel": "PHONE"}
    await visit.call(Role.FRONT_DESK, "recordLeadContact", "LeadContactPayload", **lead)
    # A partner salon's registration: its words stay in the database, its clock gets ids
    select = "... on RegisterPartnerPayload { partner { id } }"
    partner = await visit.call(Role.SUPERVISOR, "registerPartner", "RegisterPartnerPayload", select)
    visit.partners.append(partner["partner"]["id"])

    # A client whose journey has closed is moved on the desk: the desk records it, the journey
    # refuses the hand-over, and the worker logs that (with the journey's id: see the test).
    again = {"rule": "CLIENT_REQUEST", "journeyId": handed_on, "consultantId": first}
    await visit.desk(Role.SUPERVISOR, "reassignClient", **again)
    visit.handed_back = decode_id(handed_on, "Journey") or ""

    await visit.desk(Role.SUPERVISOR, "correctDeskRecord", amendsSeq=1)
    await visit.desk(Role.SUPERVISOR, "consultantLeft", consultantId=second, successorId=first)


# What staff wrote on the desk: the log (and the board, for the policy's name) shows it.
DESK_WORDS = (
    "updateTriageSeat.input.reason",
    "setRotationPolicy.input.name",
    "setRotationPolicy.input.reason",
    "setKeyItemPriority.input.reason",
    "placeVip.input.reason",
    "reassignClient.input.reason",
    "correctDeskRecord.input.reason",
    "consultantLeft.input.reason",
    "reclassifyVisit.input.reason",
)
DESK_READ = """
query Desk($clinicId: ID!, $today: Date!, $yesterday: Date!) {
  triageBoard(clinicId: $clinicId) { policy }
  today: triageLog(clinicId: $clinicId, date: $today) { kind reason policy }
  yesterday: triageLog(clinicId: $clinicId, date: $yesterday) { kind reason policy }
}"""
DESK_DAY = "query Day($clinicId: ID!) { triageBoard(clinicId: $clinicId) { day } }"


async def desk_as_read(visit: Visit) -> dict[str, Any]:
    """The board's policy and the log of the desk's day (and the day before, should the desk
    have opened a new day during the run), from the read model."""
    token = visit.token(Role.SUPERVISOR)
    day = (await visit.api.run(DESK_DAY, token, clinicId=visit.clinic))["triageBoard"]["day"]
    today = date.fromisoformat(day)
    yesterday = (today - timedelta(days=1)).isoformat()
    read = await visit.api.run(
        DESK_READ, token, clinicId=visit.clinic, today=today.isoformat(), yesterday=yesterday
    )
    return {"policy": read["triageBoard"]["policy"], "log": read["yesterday"] + read["today"]}
