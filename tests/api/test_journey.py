"""One client's whole journey through the GraphQL API, each step by its own role's login."""

from __future__ import annotations

from domain.roles import Role
from tests.api.flow import JourneyDriver

# (action, from stage, to stage, actor role), in the order the journey's history must show them.
FULL_HISTORY = [
    ("start_journey", None, "RECEPTION", "FRONT_DESK"),
    ("check_in", "RECEPTION", "TRIAGE", "FRONT_DESK"),
    ("assign_consultant", "TRIAGE", "CONSULTATION", "FRONT_DESK"),
    ("record_consultation", "CONSULTATION", "CONSULTATION", "CONSULTANT"),
    ("request_expert_review", "CONSULTATION", "EXPERT_REVIEW", "CONSULTANT"),
    ("approve_plan", "EXPERT_REVIEW", "CONSENT", "EXPERT"),
    ("sign_consent", "CONSENT", "PAYMENT", "NURSE"),
    ("record_payment", "PAYMENT", "TREATMENT", "CASHIER"),
    ("start_treatment", "TREATMENT", "TREATMENT", "NURSE"),
    ("complete_treatment", "TREATMENT", "HANDOVER", "NURSE"),
    ("hand_over", "HANDOVER", "FOLLOW_UP", "NURSE"),
    ("follow_up_due", "FOLLOW_UP", "FOLLOW_UP", "SYSTEM"),
    ("follow_up_due", "FOLLOW_UP", "FOLLOW_UP", "SYSTEM"),
    ("complete_follow_up", "FOLLOW_UP", "FOLLOW_UP", "FOLLOW_UP_STAFF"),
    ("complete_follow_up", "FOLLOW_UP", "COMPLETED", "FOLLOW_UP_STAFF"),
]


async def test_a_full_journey_from_reception_to_the_last_follow_up(driver: JourneyDriver) -> None:
    # Given a client registered at reception
    client_id = await driver.register_client("Maria Kowalska")

    # When the front desk starts a walk-in journey
    journey = await driver.start(client_id)
    jid = journey["id"]
    # Then the client is checked in and waits at triage
    assert (journey["stage"], journey["outcome"]) == ("TRIAGE", None)
    assert journey["visitCategory"] == "FIRST_VISIT"
    assert [e["action"] for e in journey["history"]] == ["start_journey", "check_in"]

    # When each member of staff takes their step
    journey = await driver.assign(jid)
    assert journey["stage"] == "CONSULTATION"
    assert journey["consultant"] == {
        "id": driver.staff[Role.CONSULTANT].global_id,
        "username": "consultant",
        "role": "CONSULTANT",
    }
    for step, stage in [
        (driver.consult, "CONSULTATION"),
        (driver.request_review, "EXPERT_REVIEW"),
        (driver.approve, "CONSENT"),
        (driver.sign_consent, "PAYMENT"),
        (driver.pay, "TREATMENT"),
        (driver.start_treatment, "TREATMENT"),
        (driver.complete_treatment, "HANDOVER"),
    ]:
        journey = await step(jid)
        assert journey["stage"] == stage, step.__name__
        assert journey["outcome"] is None

    journey = await driver.hand_over(jid)
    # Then the follow-ups are scheduled, none due yet
    assert journey["stage"] == "FOLLOW_UP"
    assert [(f["id"], f["label"], f["status"], f["attempts"]) for f in journey["followUps"]] == [
        ("fu-1", "2s", "SCHEDULED", 0),
        ("fu-2", "4s", "SCHEDULED", 0),
    ]

    # When their time comes (timers in the workflow; nobody calls the API)
    journey = await driver.wait_until_due(jid, count=2)
    assert [f["status"] for f in journey["followUps"]] == ["DUE", "DUE"]

    # And follow-up staff record each call
    journey = await driver.complete_follow_up(jid, "fu-1")
    assert journey["stage"] == "FOLLOW_UP"
    journey = await driver.complete_follow_up(jid, "fu-2")

    # Then the journey is over, completed
    assert (journey["stage"], journey["outcome"]) == ("COMPLETED", "COMPLETED")
    journey = await driver.journey(jid)  # how the calls went: read by a supervisor
    assert [
        (f["status"], f["outcome"], f["satisfaction"], f["attempts"]) for f in journey["followUps"]
    ] == [("DONE", "REACHED", 5, 1)] * 2
    # And its history shows every event once, in order, with who did it
    history = journey["history"]
    assert [e["seq"] for e in history] == list(range(1, len(FULL_HISTORY) + 1))
    assert [(e["action"], e["fromStage"], e["toStage"], e["actorRole"]) for e in history] == (
        FULL_HISTORY
    )
    accounts = {role.value: s.account_id for role, s in driver.staff.items()}
    accounts["SYSTEM"] = "system"
    assert [e["actorId"] for e in history] == [accounts[row[3]] for row in FULL_HISTORY]
    assert history[5]["summary"] == "plan approved at 1200.00 EUR"
    assert history[7]["summary"] == "FULL 1200.00 EUR (paid 1200.00 EUR)"

    # And reading it again gives the same journey; follow-up staff read that it was paid and
    # the plan approved, not how much (money is the cashiers' and supervisors')
    without_amounts = {"record_payment": "payment recorded", "approve_plan": "plan approved"}
    told = [
        {**event, "summary": without_amounts.get(event["action"], event["summary"])}
        for event in history
    ]
    again = await driver.journey(jid, Role.FOLLOW_UP_STAFF)
    assert again == {"__typename": "Journey", **journey, "history": told}
