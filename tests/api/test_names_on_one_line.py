"""A person's or a clinic's name is kept on one line, as a client's is at registration and at
correction: a staff member's display name (made and renamed), a clinic's name, who signed a
consent or a bill, a guardian (and a correction of a consent's record naming them), a
disclosure's recipient, a partner salon (reported and in each new version). A name on two lines
reads, in every list and printout, as two rows: a second name under the first."""

from __future__ import annotations

import uuid

from domain.roles import Role
from domain.store import administration
from domain.store.models import Clinic, JourneyRecord, StaffAccount, StaffName
from domain.store.partners import PartnerRegistration
from schema.ids import decode_id, encode_id
from tests.api import documents, money_support
from tests.api import test_administration as admin
from tests.api import test_file_disclosures as disclosures
from tests.api import test_sharing_consent as sharing
from tests.api.flow import JourneyDriver
from tests.api.partner_documents import REGISTER as REGISTER_PARTNER
from tests.api.test_audit_of_retries import AMEND_RECORD

TWO_LINES = "Ewa\nKowalska\r\n\tNowak "
ONE_LINE = "Ewa Kowalska Nowak"


async def test_staff_and_clinic_names_are_kept_on_one_line(driver: JourneyDriver) -> None:
    # Given an administrator naming a clinic across lines
    token = driver.token(Role.ADMIN)
    clinic_id = admin._new_id("clinic")
    clinic = {"clinicId": clinic_id, "name": "Klinika\nPiękna", "timezone": "Europe/Warsaw"}
    made = (await driver.api.run(admin.CREATE_CLINIC, token, input=clinic))["createClinic"]
    # And an account named across lines where every account is made (the administrators',
    # `glowpath create-admin`'s and the demo seed's alike)
    new = administration.NewAccount(
        "demo-clinic", admin._new_id("nurse"), TWO_LINES, Role.NURSE, password_hash="x"
    )
    row = await administration.create_account(new)
    # Then each is kept on one line
    assert made["clinic"]["name"] == "Klinika Piękna", made
    assert (await Clinic.get(id=clinic_id)).name == "Klinika Piękna"
    assert row.display_name == ONE_LINE
    # And a rename across lines too, in the names kept through time as well
    renamed = {"staffId": encode_id("StaffMember", row.id), "displayName": "Anna\r\nNowak"}
    answer = (await driver.api.run(admin.UPDATE_STAFF, token, input=renamed))["updateStaffAccount"]
    assert answer["__typename"] == "StaffAccountPayload", answer
    assert (await StaffAccount.get(id=row.id)).display_name == "Anna Nowak"
    kept = await StaffName.filter(account_id=row.id).order_by("id").values_list("display_name")
    assert kept == [(ONE_LINE,), ("Anna Nowak",)]


async def test_who_signs_a_consent_and_their_guardian_are_named_on_one_line(
    driver: JourneyDriver,
) -> None:
    # Given a consent signed in a journey, and a sharing consent signed by a guardian
    journey = await driver.drive_to("CONSENT")
    signing = {
        "journeyId": journey["id"],
        "kind": "PROCEDURE",
        "signerName": TWO_LINES,
        "templateId": "procedure-consent",
        "templateVersion": "2024-1",
        "rightsExplained": True,
    }
    signed_in_journey = await driver.ok(documents.SIGN_CONSENT, Role.NURSE, **signing)
    (event,) = [e for e in signed_in_journey["history"] if e["action"] == "sign_consent"]
    correction = {
        "journeyId": journey["id"],
        "seq": event["seq"],
        "reason": "the guardian signed",
        "correction": {"signer_name": "Zofia\nNowak", "guardian_name": TWO_LINES},
    }
    amended = await driver.api.run(AMEND_RECORD, driver.token(Role.SUPERVISOR), input=correction)
    client_id = await driver.register_client()
    template = await sharing._template(driver)
    by_guardian = sharing._signing(
        client_id,
        template,
        signerName="Zofia\nNowak",
        capacity="GUARDIAN",
        guardianName=TWO_LINES,
        guardianRelation="mother",
    )
    signed = await sharing._run(driver, sharing.SIGN, Role.NURSE, **by_guardian)
    # Then each name is kept on one line
    (record,) = await JourneyRecord.filter(
        journey_id=decode_id(journey["id"], "Journey"), kind="consent"
    )
    assert record.body["signer_name"] == ONE_LINE, record.body
    corrected = amended["amendRecord"]["amendment"]["correction"]
    assert corrected == {"signer_name": "Zofia Nowak", "guardian_name": ONE_LINE}, amended
    assert signed["signature"]["signerName"] == "Zofia Nowak", signed
    assert signed["signature"]["guardianName"] == ONE_LINE


async def test_who_confirms_a_bill_and_who_receives_a_file_are_named_on_one_line(
    driver: JourneyDriver,
) -> None:
    # Given a bill confirmed by a client whose name was sent across lines
    journey = await driver.drive_to("PAYMENT")
    item = await money_support.set_item(driver)
    created = await money_support.money_call(
        driver,
        money_support.CREATE_BILL,
        Role.CASHIER,
        journeyId=journey["id"],
        lines=[{"priceItemId": item["id"]}],
    )
    confirmed = await money_support.money_call(
        driver,
        money_support.CONFIRM_BILL,
        Role.CASHIER,
        billId=created["bill"]["id"],
        signerName=TWO_LINES,
        idempotencyKey=uuid.uuid4().hex,
    )
    # And a file given to a recipient named across lines
    client_id = await driver.register_client()
    template = await sharing._template(driver)
    await sharing._run(driver, sharing.SIGN, Role.NURSE, **sharing._signing(client_id, template))
    given = disclosures._disclosure(client_id, recipientName=TWO_LINES)
    made = await disclosures._record(driver, Role.SUPERVISOR, given)
    # Then both are kept on one line
    assert confirmed["bill"]["confirmation"]["signerName"] == ONE_LINE, confirmed
    assert made["disclosure"]["recipientName"] == ONE_LINE, made


async def test_a_partner_salon_is_named_on_one_line_in_every_version(
    driver: JourneyDriver,
) -> None:
    token = driver.token(Role.SUPERVISOR)

    async def register(**input: object) -> dict:  # type: ignore[type-arg]
        answer = await driver.api.run(REGISTER_PARTNER, token, input=input)
        return answer["registerPartner"]  # type: ignore[no-any-return]

    # Given a salon reported under a name sent across lines, and a new version of it renamed so
    reported = await register(name="Salon\nRóża\r\n\tSpa ")
    assert reported["__typename"] == "RegisterPartnerPayload", reported
    partner_id = reported["partner"]["id"]
    renamed = await register(partnerId=partner_id, name=TWO_LINES)
    assert renamed["__typename"] == "RegisterPartnerPayload", renamed
    # When a version names it with a line or paragraph separator, or a next-line control
    refused = [await register(partnerId=partner_id, name=f"Salon{odd}Róża") for odd in "\u2028\x85"]
    # Then each name kept is on one line, in the answer and in every version kept
    assert reported["partner"]["name"] == "Salon Róża Spa", reported
    assert renamed["partner"]["name"] == ONE_LINE, renamed
    kept = PartnerRegistration.filter(partner_id=decode_id(partner_id, "Partner"))
    assert await kept.order_by("version").values_list("name", flat=True) == [
        "Salon Róża Spa",
        ONE_LINE,
    ]
    # And the separator and the control are refused on `name` as in every other name, unwritten
    assert [(r["__typename"], r["problems"]) for r in refused] == [
        (
            "ValidationFailed",
            [
                {
                    "field": "name",
                    "message": "contains a line or paragraph separator (U+2028 at character 6)"
                    ": send a line break",
                }
            ],
        ),
        (
            "ValidationFailed",
            [
                {
                    "field": "name",
                    "message": "contains a control or text-direction character (U+0085 at "
                    "character 6)",
                }
            ],
        ),
    ]
