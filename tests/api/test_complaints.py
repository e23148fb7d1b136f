"""The clinic's complaint register (seed 003 art. 20, seed 000): a complaint taken by whoever the
client tells, answered and resolved by a supervisor as entries of its own, its state read from
them, the overdue first on the supervisors' list, and in her file and her copy."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from domain.roles import Role
from tests.api.client_file_support import export_file
from tests.api.complaint_support import (
    HERS,
    OPEN,
    answered,
    call,
    complaint,
    rows,
    taken,
)
from tests.api.flow import JourneyDriver, new_key
from tests.sql_statements import reads_naming

Clinic = Callable[[], Awaitable[JourneyDriver]]


async def test_a_complaint_is_taken_answered_and_resolved_and_then_takes_nothing_more(
    driver: JourneyDriver,
) -> None:
    # Given a client in a journey, who complains at the desk about her consultant
    client_id = await driver.register_client()
    journey = await driver.start(client_id)
    made = await taken(driver, Role.FRONT_DESK, **complaint(client_id, journeyId=journey["id"]))
    assert (made["status"], made["overdue"], made["answers"]) == ("OPEN", False, [])
    assert (made["journeyId"], made["recordedByRole"]) == (journey["id"], "FRONT_DESK")
    received = datetime.fromisoformat(made["receivedAt"])
    due = datetime.fromisoformat(made["firstAnswerDueAt"])
    assert timedelta(days=2) < due - received <= timedelta(days=5)
    # When a supervisor answers it, then resolves it
    once = await answered(driver, "respondToComplaint", made["id"])
    done = await answered(
        driver, "resolveComplaint", made["id"], outcome="UPHELD", note="given another consultant"
    )
    # Then each is an entry of its own, and the state follows them
    assert once["status"] == "ANSWERED"
    assert done["status"] == "RESOLVED"
    assert [(a["kind"], a["outcome"]) for a in done["answers"]] == [
        ("RESPONSE", None),
        ("RESOLUTION", "UPHELD"),
    ]
    # And a resolved complaint takes no more answers: refused on its id, nothing written
    for mutation, extra in (
        ("respondToComplaint", {}),
        ("resolveComplaint", {"outcome": "UPHELD"}),
    ):
        again = {"complaintId": made["id"], "note": "more", "idempotencyKey": new_key(), **extra}
        refused = await call(driver, mutation, Role.SUPERVISOR, **again)
        assert refused["__typename"] == "ValidationFailed", refused
        assert [p["field"] for p in refused["problems"]] == ["complaintId"]
    assert await rows(client_id) == (1, 2)
    # And the nurse who meets her sees it in her file
    hers = await driver.api.run(HERS, driver.token(Role.NURSE), id=client_id)
    listed = hers["client"]["complaints"]["edges"]
    assert [e["node"]["status"] for e in listed] == ["RESOLVED"]


async def test_each_request_acts_once_per_key_and_another_input_is_a_conflict(
    driver: JourneyDriver,
) -> None:
    # Given a complaint taken, sent again with its key after a lost answer
    client_id = await driver.register_client()
    input = complaint(client_id)
    first = await taken(driver, Role.NURSE, **input)
    assert await taken(driver, Role.NURSE, **input) == first
    # When the same key comes with another description, and an answer is sent twice
    changed = await call(driver, "recordComplaint", Role.NURSE, **{**input, "description": "x"})
    answer = {"complaintId": first["id"], "note": "we are sorry", "idempotencyKey": new_key()}
    one = await call(driver, "respondToComplaint", Role.SUPERVISOR, **answer)
    two = await call(driver, "respondToComplaint", Role.SUPERVISOR, **answer)
    other = await call(driver, "respondToComplaint", Role.SUPERVISOR, **{**answer, "note": "y"})
    # Then one complaint and one answer are written; the changed inputs are Conflicts
    assert changed["__typename"] == "Conflict", changed
    assert one == two
    assert other["__typename"] == "Conflict", other
    assert await rows(client_id) == (1, 1)
    # And the complaint's retry, answered since, names the same complaint as it now stands
    retried = await taken(driver, Role.NURSE, **input)
    assert (retried["id"], retried["status"]) == (first["id"], "ANSWERED")
    assert await rows(client_id) == (1, 1)


async def test_only_contact_staff_take_and_only_supervisors_answer_or_resolve(
    driver: JourneyDriver,
) -> None:
    client_id = await driver.register_client()
    made = await taken(driver, Role.CONSULTANT, **complaint(client_id))
    # When the cashier takes one, and a consultant answers or resolves one
    refused = [await call(driver, "recordComplaint", Role.CASHIER, **complaint(client_id))]
    for role in (Role.CONSULTANT, Role.NURSE, Role.EXPERT):
        answer = {"complaintId": made["id"], "note": "fine", "idempotencyKey": new_key()}
        refused.append(await call(driver, "respondToComplaint", role, **answer))
        answer = {**answer, "outcome": "NOT_UPHELD", "idempotencyKey": new_key()}
        refused.append(await call(driver, "resolveComplaint", role, **answer))
    # Then each is NotAuthorized, and nothing more is written
    assert {r["__typename"] for r in refused} == {"NotAuthorized"}, refused
    assert await rows(client_id) == (1, 0)
    listed = await driver.api.run(OPEN, driver.token(Role.CONSULTANT), first=5)
    assert listed["openComplaints"]["__typename"] == "NotAuthorized"


async def test_another_clinics_client_journey_and_complaint_are_not_found(
    driver: JourneyDriver, fresh_clinic: Clinic
) -> None:
    # Given a client, her journey and her complaint in another clinic
    elsewhere = await fresh_clinic()
    theirs = await elsewhere.register_client()
    journey = await elsewhere.start(theirs)
    made = await taken(elsewhere, Role.FRONT_DESK, **complaint(theirs))
    mine = await driver.register_client()
    # When this clinic's staff name them
    found = [
        await call(driver, "recordComplaint", Role.FRONT_DESK, **complaint(theirs)),
        await call(
            driver, "recordComplaint", Role.FRONT_DESK, **complaint(mine, journeyId=journey["id"])
        ),
        await call(
            driver,
            "respondToComplaint",
            Role.SUPERVISOR,
            complaintId=made["id"],
            note="not ours",
            idempotencyKey=new_key(),
        ),
    ]
    # Then none exists for them, and nothing is written
    assert [r["__typename"] for r in found] == ["NotFound"] * 3, found
    assert await rows(theirs) == (1, 0)
    assert await rows(mine) == (0, 0)


async def test_the_text_the_moment_and_the_journey_are_checked_per_field(
    driver: JourneyDriver,
) -> None:
    client_id = await driver.register_client()
    someone_else = await driver.start()
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    long_ago = (datetime.now(UTC) - timedelta(days=40)).isoformat()
    cases = {
        "description": complaint(client_id, description="  \u200b "),
        "receivedAt": complaint(client_id, receivedAt=later),
    }
    cases["description,receivedAt"] = complaint(
        client_id, description="Ewa \u202eabc", receivedAt=long_ago
    )
    cases["journeyId"] = complaint(client_id, journeyId=someone_else["id"])
    for fields, input in cases.items():
        refused = await call(driver, "recordComplaint", Role.FRONT_DESK, **input)
        assert refused["__typename"] == "ValidationFailed", (fields, refused)
        assert ",".join(p["field"] for p in refused["problems"]) == fields, refused
    made = await taken(driver, Role.FRONT_DESK, **complaint(client_id))
    blank = {"complaintId": made["id"], "note": " ", "idempotencyKey": new_key()}
    refused = await call(driver, "respondToComplaint", Role.SUPERVISOR, **blank)
    assert [p["field"] for p in refused["problems"]] == ["note"], refused
    assert await rows(client_id) == (1, 0)


async def test_the_supervisors_list_puts_the_overdue_first_and_leaves_out_the_resolved(
    fresh_clinic: Clinic,
) -> None:
    # Given a clinic with a complaint received ten days ago and never answered, one taken now,
    # one as old but answered, and one resolved
    clinic = await fresh_clinic()
    client_id = await clinic.register_client()
    old = (datetime.now(UTC) - timedelta(days=10)).isoformat()
    overdue = await taken(clinic, Role.FRONT_DESK, **complaint(client_id, receivedAt=old))
    fresh = await taken(clinic, Role.FRONT_DESK, **complaint(client_id))
    answered_old = await taken(clinic, Role.FRONT_DESK, **complaint(client_id, receivedAt=old))
    await answered(clinic, "respondToComplaint", answered_old["id"])
    resolved = await taken(clinic, Role.FRONT_DESK, **complaint(client_id, receivedAt=old))
    await answered(clinic, "resolveComplaint", resolved["id"], outcome="WITHDRAWN")
    # When a supervisor reads the open ones two at a time
    token = clinic.token(Role.SUPERVISOR)
    first = (await clinic.api.run(OPEN, token, first=2))["openComplaints"]
    after = first["pageInfo"]["endCursor"]
    rest = (await clinic.api.run(OPEN, token, first=2, after=after))["openComplaints"]
    # Then the overdue one leads, the resolved one is on no page
    listed = [e["node"] for e in first["edges"] + rest["edges"]]
    assert [n["id"] for n in listed] == [overdue["id"], fresh["id"], answered_old["id"]]
    assert [(n["status"], n["overdue"]) for n in listed] == [
        ("OPEN", True),
        ("OPEN", False),
        ("ANSWERED", False),
    ]
    assert (first["pageInfo"]["hasNextPage"], rest["pageInfo"]["hasNextPage"]) == (True, False)
    # And a page size past the bound, or a cursor of another list, is refused per field
    too_many = (await clinic.api.run(OPEN, token, first=101))["openComplaints"]
    assert too_many["__typename"] == "ValidationFailed", too_many


async def test_her_copy_carries_her_complaints_with_their_answers(driver: JourneyDriver) -> None:
    # Given a complaint of hers, answered and resolved
    client_id = await driver.register_client()
    made = await taken(
        driver, Role.FOLLOW_UP_STAFF, **complaint(client_id, channel="FOLLOW_UP_CALL")
    )
    await answered(driver, "respondToComplaint", made["id"])
    await answered(driver, "resolveComplaint", made["id"], outcome="PARTLY_UPHELD")
    # When a supervisor hands her a copy of her file
    copy = await export_file(driver, client_id, new_key())
    # Then the complaint is in it, with both entries (and in its Bundle: see
    # test_complaints_in_the_bundle)
    (kept,) = copy["file"]["complaints"]
    assert (kept["channel"], kept["description"]) == ("FOLLOW_UP_CALL", made["description"])
    assert [(a["kind"], a["outcome"]) for a in kept["answers"]] == [
        ("RESPONSE", None),
        ("RESOLUTION", "PARTLY_UPHELD"),
    ]


LISTED = """
query Listed {
  clients(first: 20) {
    ... on ClientConnection {
      edges { node { complaints(first: 5) {
        ... on ComplaintConnection { edges { node { status answers { kind } } } }
      } } }
    }
  }
}
"""


async def test_listing_many_clients_complaints_costs_the_queries_of_one(
    fresh_clinic: Clinic,
) -> None:
    counts = []
    for clients in (1, 5):
        # Given a clinic whose clients each have an answered complaint
        clinic = await fresh_clinic()
        for n in range(clients):
            client_id = await clinic.register_client(f"Client {n}")
            made = await taken(clinic, Role.FRONT_DESK, **complaint(client_id))
            await answered(clinic, "respondToComplaint", made["id"])
        # When a supervisor lists the clients with their complaints
        with reads_naming("complaint") as statements:
            data = await clinic.api.run(LISTED, clinic.token(Role.SUPERVISOR))
        nodes = [e["node"]["complaints"]["edges"] for e in data["clients"]["edges"]]
        assert [[c["node"]["status"] for c in n] for n in nodes] == [["ANSWERED"]] * clients
        counts.append(len(statements))
    # Then the complaints and their entries take a read each, however many clients
    assert counts == [2, 2]
