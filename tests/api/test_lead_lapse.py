"""A phone or online lead is owned by its earliest contact while it is followed up (seed 004:
"网电预约顾客3个月以上顾客,3个月内如有跟进记录,算网电上门和业绩"). A lead nobody contacted for three
months has lapsed: the client who walks in then is a first visit for the rotation. Before, a
contact owned the client for good, however long ago it was. Contacts are written as the
recorder wrote them months ago (`recordLeadContact` dates one within the last 30 days)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.roles import Role
from domain.store.models import Client
from domain.store.triage_models import LeadContact
from schema.ids import decode_id
from tests.api import documents
from tests.api.harness import Api
from tests.api.test_triage_api import AUTO_ASSIGN, _desk_clinic
from tests.api.test_triage_policy import _lead


async def _contacted(client_id: str, consultant_id: str, days_ago: int) -> None:
    client = await Client.get(id=decode_id(client_id, "Client"))
    await LeadContact.create(
        clinic_id=client.clinic_id,
        client_id=client.id,
        consultant_id=decode_id(consultant_id, "StaffMember"),
        channel="PHONE",
        at=datetime.now(UTC) - timedelta(days=days_ago),
        recorded_by="front-desk",
    )


async def _placed(api: Api, desk: str, client_id: str) -> tuple[str, str, bool]:
    started = await api.run(documents.START_JOURNEY, desk, input={"clientId": client_id})
    jid = started["startJourney"]["journey"]["id"]
    assigned = (await api.run(AUTO_ASSIGN, desk, input={"journeyId": jid}))["autoAssign"]
    decision = assigned["decision"]
    return decision["consultantId"], decision["route"], decision["counted"]


async def test_a_lead_nobody_followed_up_for_three_months_goes_to_the_rotation(
    api: Api,
) -> None:
    # Given a phone lead whose only contact, with one consultant, was four months ago
    _clinic, staff, consultants = await _desk_clinic(api)
    desk = staff[Role.FRONT_DESK].token
    client_id = await _lead(api, desk)
    await _contacted(client_id, consultants[2], days_ago=122)
    # When the client walks in
    consultant, route, counted = await _placed(api, desk, client_id)
    # Then the lead has lapsed: a first visit, given by the rotation as a turn
    assert (route, counted) == ("ROTATION", True), (consultant, route, counted)


async def test_a_lead_followed_up_within_three_months_stays_with_its_first_contact(
    api: Api,
) -> None:
    # Given a lead first called four months ago, and called again by another consultant two
    # months later (within three months of the first), and not since
    _clinic, staff, consultants = await _desk_clinic(api)
    desk = staff[Role.FRONT_DESK].token
    client_id = await _lead(api, desk)
    await _contacted(client_id, consultants[2], days_ago=122)
    await _contacted(client_id, consultants[1], days_ago=61)
    # When the client walks in
    placed = await _placed(api, desk, client_id)
    # Then the earliest contact owns the client: theirs, not a turn
    assert placed == (consultants[2], "OWNER", False)
