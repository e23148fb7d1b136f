"""Every field, asked by every role over HTTP, answers as the permission table says.

The documents are generated from the schema, so a new field is asked as soon as it exists and its
row in `domain/permissions.py` decides what each role must see.
"""

from __future__ import annotations

import asyncio
import datetime
import uuid
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.permissions import MUTATIONS, QUERIES, SUBSCRIPTIONS
from domain.roles import STAFF_ROLES, Role
from schema.build import schema
from schema.ids import encode_id
from tests.api import documents
from tests.api.consent_support import WITHDRAW_CONSENT, consents, publish, signing
from tests.api.contraindication_support import add_item
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, Staff, create_clinic, sign_in_all
from tests.api.permission_probe import (
    Verdicts,
    check_answer,
    dummy_input,
    post,
    root_document,
)

GRAPHQL = schema._schema
# Open to anyone in the table (a retry must get its first answer with the token it revoked),
# these answer "sign in first" themselves when there is no genuine token at all.
CHECK_THEIR_OWN_TOKEN = frozenset({"logout", "changePassword"})


@pytest.fixture
async def clinic(api: Api) -> tuple[str, dict[Role, Staff]]:
    """A clinic of its own, so generated mutations cannot disturb other tests' data."""
    prefix = f"perm-{uuid.uuid4().hex[:6]}-"
    clinic_id = f"clinic-{prefix}"
    await create_clinic(clinic_id, prefix)
    return clinic_id, await sign_in_all(api, prefix)


def _root_arguments(
    clinic_id: str, journey: dict[str, Any], staff: Staff, signature_id: str, partner_id: str
) -> dict[str, Any]:
    today = datetime.date.today()
    return {
        "me": {},
        "myPermissions": {},
        "journey": {"id": journey["id"]},
        "journeys": {"first": 5},
        "client": {"id": journey["client"]["id"]},
        "clients": {"first": 5},
        "stuckJourneys": {"clinicId": clinic_id, "first": 5},
        "journeyStats": {"clinicId": clinic_id},
        "overdueWardTasks": {"clinicId": clinic_id, "first": 5},
        "stageSlas": {},
        "triageBoard": {"clinicId": clinic_id},
        "triageLog": {"clinicId": clinic_id, "date": today.isoformat()},
        "keyItemRanking": {"clinicId": clinic_id, "month": today.strftime("%Y-%m")},
        "consultantFigures": {"clinicId": clinic_id, "month": today.strftime("%Y-%m")},
        "partners": {},
        "partnerStatement": {"partnerId": partner_id, "month": today.strftime("%Y-%m")},
        "node": {"id": staff.global_id},
        "auditLog": {"clientId": journey["client"]["id"], "first": 5},
        "consentTemplates": {},
        "consentDocument": {"id": signature_id},
        "catalog": {"first": 5},
        "myTasks": {"first": 5},
        "aftercarePolicy": {},
        "clinicDaysOff": {"year": today.year},
        "surveyResults": {"clinicId": clinic_id, "month": today.strftime("%Y-%m")},
        # One key's newest version: every field of all 500 versions would pass the answer's
        # bound (`schema.answer_size`); each field is asked all the same.
        "procedureTypes": {"typeKey": "botox-forehead", "latestOnly": True},
        "lotRecipients": {"lot": "LOT-42"},  # the lot the journey's treatment recorded
        "aftercareLeaflet": {"journeyId": journey["id"], "language": "en"},
        "clientConsultationRecord": {"journeyId": journey["id"], "language": "en"},
        "priceList": {},
        "billingSettings": {},
        "bill": {"journeyId": journey["id"]},
        "billingHistory": {"clientId": journey["client"]["id"]},
        "fileDisclosures": {"clientId": journey["client"]["id"], "first": 1},
        "recordsCustodian": {},
        "openComplaints": {"first": 5},
    }


REGISTER_PARTNER = """mutation {
  registerPartner(input: {name: "Salon", agreementReference: "AG-1", bankDetails: "PL61",
                          premisesPhotoIds: ["ph-1"]}) {
    ... on RegisterPartnerPayload { partner { id } }
  }
}"""


async def _signed_and_withdrawn(driver: JourneyDriver) -> tuple[str, str]:
    """(signature id, client id): a consent signed on a published template, then withdrawn
    (which ends that journey, so the client may start another)."""
    await publish(driver)
    client = await driver.register_client()
    consenting = await driver.drive_to("CONSENT", await driver.start(client))
    await driver.ok(documents.SIGN_CONSENT, Role.NURSE, **signing(consenting["id"], 1))
    withdrawal = {"journeyId": consenting["id"], "kind": "PROCEDURE"}
    await driver.ok(WITHDRAW_CONSENT, Role.NURSE, **withdrawal)
    (signature,) = await consents(driver, client)
    return signature["id"], client


async def test_every_role_sees_exactly_what_the_table_allows(
    api: Api, clinic: tuple[str, dict[Role, Staff]]
) -> None:
    # Given a journey in follow-up (history with clinical details, follow-ups, a consultant)
    clinic_id, staff = clinic
    driver = JourneyDriver(api, staff)
    signature_id = await _signed_and_withdrawn(driver)
    await add_item(driver)  # and an item in the catalogue
    started = await driver.start(signature_id[1])
    journey = await driver.drive_to("FOLLOW_UP", started)
    client = await post(
        api.url,
        staff[Role.SUPERVISOR].token,
        "query($id: ID!) { journey(id: $id) { ... on Journey { client { id } } } }",
        {"id": journey["id"]},
    )
    journey = {**journey, "client": client["data"]["journey"]["client"]}
    registered = await post(api.url, staff[Role.SUPERVISOR].token, REGISTER_PARTNER, {})
    partner_id = registered["data"]["registerPartner"]["partner"]["id"]
    arguments = _root_arguments(
        clinic_id, journey, staff[Role.CONSULTANT], signature_id[0], partner_id
    )
    assert set(arguments) == set(QUERIES), "every query is asked"
    node_ids = [journey["id"], journey["client"]["id"], staff[Role.CONSULTANT].global_id]

    # When every role (and a caller who is not signed in) asks every query for every field
    verdicts = Verdicts()
    viewers: list[Role | None] = [None, *STAFF_ROLES]
    for role in viewers:
        token = staff[role].token if role else None
        asks = [(name, args) for name, args in arguments.items() if name != "node"]
        asks += [("node", {"id": node_id}) for node_id in node_ids]
        for name, args in asks:
            document = root_document(GRAPHQL, "Query", name, args)
            answer = await post(api.url, token, document, args)
            check_answer(answer, "Query", role, verdicts)

    # Then every answer matches the table, and the matrix was really asked
    assert verdicts.problems == []
    asked_types = {type_name for _, type_name, _ in verdicts.asked}
    needs = ("Journey", "JourneyEvent", "Client", "FollowUp", "StaffMember", "CatalogItem")
    for needed in (*needs, "Amendment"):
        assert needed in asked_types or needed == "Amendment", needed
    for role in STAFF_ROLES:
        assert (role.value, "JourneyEvent", "details") in verdicts.asked or role is Role.ADMIN
    assert len(verdicts.asked) > 300


async def test_every_mutation_is_refused_to_the_roles_the_table_leaves_out(
    api: Api, clinic: tuple[str, dict[Role, Staff]]
) -> None:
    # Given inputs of the right shape for every mutation (ids that name nothing)
    _, staff = clinic
    mutation_type = GRAPHQL.mutation_type
    assert mutation_type is not None
    assert set(mutation_type.fields) == set(MUTATIONS)
    # Last: signing out ends the token the other calls use.
    names = sorted(mutation_type.fields, key=lambda name: name == "logout")
    for name in names:
        definition = mutation_type.fields[name]
        args = {arg: dummy_input(a.type) for arg, a in definition.args.items() if arg == "input"}
        if "input" in args and "journeyId" in args["input"]:
            args["input"]["journeyId"] = encode_id("Journey", f"missing-{uuid.uuid4().hex}")
        document = root_document(GRAPHQL, "Mutation", name, args)
        for role in (None, *STAFF_ROLES):
            # When each role calls it
            token = staff[role].token if role else None
            answer = await post(api.url, token, document, args)
            result = (answer.get("data") or {}).get(name) or {}
            refused = result.get("__typename") == "NotAuthorized"
            guard_message = "sign in first" if role is None else f"Mutation.{name} needs"
            guard_refused = refused and result["message"].startswith(guard_message)
            # Then the permission guard refuses exactly the roles the table leaves out
            who = role.value if role else "SIGNED_OUT"
            expected = not MUTATIONS[name].admits(role)
            if role is None and name in CHECK_THEIR_OWN_TOKEN:
                expected = True  # open to a revoked token, they still want a genuine one
            assert guard_refused == expected, (who, name, answer)


async def test_subscriptions_end_at_once_for_roles_the_table_leaves_out(
    api: Api, clinic: tuple[str, dict[Role, Staff]]
) -> None:
    # Given every subscription of the schema, asked for every field
    clinic_id, staff = clinic
    journey = await JourneyDriver(api, staff).start()
    arguments = {
        "journeyChanged": {"id": journey["id"]},
        "supervisorBoard": {"clinicId": clinic_id},
        "myJourneyAlerts": {},
        "tasksChanged": {},
        "triageBoardChanged": {"clinicId": clinic_id},
    }
    subscription_type = GRAPHQL.subscription_type
    assert subscription_type is not None
    assert set(subscription_type.fields) == set(arguments) == set(SUBSCRIPTIONS)
    for name, args in arguments.items():
        document = root_document(GRAPHQL, "Subscription", name, args)
        refused = [role for role in STAFF_ROLES if not SUBSCRIPTIONS[name].admits(role)]
        assert refused, name
        for role in refused:
            # When a role the table leaves out subscribes
            async with api.subscription(document, staff[role].token, **args) as stream:
                with pytest.raises(TransportQueryError) as ended:
                    await asyncio.wait_for(anext(aiter(stream)), timeout=30)
            # Then the stream ends with the refusal, before any push
            errors = ended.value.errors or []
            assert [(e["message"], e["extensions"]) for e in errors] == [
                (
                    f"Subscription.{name} needs one of: " + ", ".join(SUBSCRIPTIONS[name].names()),
                    {"code": "NOT_AUTHORIZED"},
                )
            ], (role, name)
