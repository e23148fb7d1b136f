"""The canary's visit to clinic administration: a clinic, an account, its change and its reset."""

from __future__ import annotations

from domain.roles import Role
from tests.api.canary_visits import Visit
from tests.api.documents import LOGIN

ACCOUNT = "... on StaffAccountPayload { staff { id } }"


async def administer(visit: Visit) -> None:
    """The administrator's mutations touch no workflow: the marked words stay in the database."""
    admin = Role.ADMIN
    second_clinic = f"{visit.clinic}-2"
    await visit.call(admin, "createClinic", "ClinicPayload", clinicId=second_clinic)
    # Called by hand: the input's `role` would clash with `Visit.call`'s own argument.
    given = {"clinicId": visit.clinic, "role": Role.NURSE.value}
    document = visit.canary.document("createStaffAccount", ACCOUNT)
    data = await visit.api.run(
        document, visit.token(admin), input=visit.canary.fill("createStaffAccount", given)
    )
    created = data["createStaffAccount"]
    assert created["__typename"] == "StaffAccountPayload", created
    staff_id = created["staff"]["id"]
    # Another account is renamed, so each stored name stays to be found in the database.
    nurse = visit.staff[Role.NURSE].global_id
    await visit.call(admin, "updateStaffAccount", "StaffAccountPayload", staffId=nurse)
    await visit.call(admin, "resetStaffPassword", "StaffAccountPayload", staffId=staff_id)
    # The clinic's supervisor gives its doctor a senior professional title (seed 004 三.4).
    doctor = visit.staff[Role.EXPERT].global_id
    await visit.call(
        Role.SUPERVISOR, "setSeniorTitle", "SeniorTitlePayload", staffId=doctor, seniorTitle=True
    )
    # The account signs in with its temporary password and tries to change it with a wrong
    # current one: both words are checked and never stored.
    username = visit.canary.marked["createStaffAccount.input.username"]
    password = visit.canary.marked["resetStaffPassword.input.temporaryPassword"]
    login = await visit.api.run(LOGIN, input={"username": username, "password": password})
    token = login["login"]["token"]
    document = visit.canary.document("changePassword", "")
    data = await visit.api.run(document, token, input=visit.canary.fill("changePassword", {}))
    assert data["changePassword"]["__typename"] == "ValidationFailed", data
