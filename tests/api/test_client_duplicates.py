"""Registering a client the clinic already has, over the real API: reception is told who it is
(same phone, same e-mail, or same name and birth date, as written however), nothing is written,
and a different person sharing the data (a twin on the family phone) is registered on purpose."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.audit import CLIENT_READ
from domain.roles import Role
from domain.store.audit_models import AuditEntry
from domain.store.models import Client as ClientRow
from domain.store.models import Clinic
from tests.api.audit_support import clinic_of, raw_client
from tests.api.client_file_support import AMEND_CLIENT_IDENTITY, write
from tests.api.flow import JourneyDriver, new_key

FreshClinic = Callable[[], Awaitable[JourneyDriver]]

REGISTER = """
mutation Register($input: RegisterClientInput!) {
  registerClient(input: $input) {
    __typename
    ... on ClientPayload { client { id fullName } }
    ... on ClientAlreadyRegistered { code existingClientIds matchedOn }
    ... on UserError { code message }
  }
}"""
ANNA = {
    "fullName": "Anna Nowak",
    "birthDate": "1990-01-01",
    "phone": "+48 600 100 201",
    "email": "Anna.Nowak@Example.com",
    "dataConsent": True,
}


async def register(d: JourneyDriver, **input: Any) -> dict[str, Any]:
    data = await d.api.run(REGISTER, d.token(Role.FRONT_DESK), input=input)
    return data["registerClient"]  # type: ignore[no-any-return]


async def clients_of(d: JourneyDriver) -> int:
    return await ClientRow.filter(clinic_id=await clinic_of(d)).count()


async def test_a_client_registered_again_is_named_and_a_twin_is_registered_on_purpose(
    fresh_clinic: FreshClinic,
) -> None:
    # Given Anna registered, with a key
    clinic, other = await fresh_clinic(), await fresh_clinic()
    key = new_key()
    first = await register(clinic, **ANNA, idempotencyKey=key)
    assert first["__typename"] == "ClientPayload", first
    anna = first["client"]["id"]
    # When reception registers her again: by the phone written otherwise, the e-mail in
    # another case, or the name spaced and cased otherwise with her birth date
    again = {"fullName": "Someone Else", "birthDate": "1970-05-05", "dataConsent": True}
    cases = [
        ({**again, "phone": "+48-600-100-201"}, ["PHONE"]),
        ({**again, "phone": "+48 700 000 001", "email": " anna.nowak@example.COM"}, ["EMAIL"]),
        (
            {**ANNA, "fullName": " anna  NOWAK", "phone": "+48 700 000 002", "email": None},
            ["NAME_AND_BIRTH_DATE"],
        ),
        ({**ANNA, "idempotencyKey": new_key()}, ["NAME_AND_BIRTH_DATE", "PHONE", "EMAIL"]),
    ]
    for given, matched in cases:
        refused = await register(clinic, **given)
        # Then she is named, with what matched, and nothing is written
        assert "open their file" in refused.pop("message")
        assert refused == {
            "__typename": "ClientAlreadyRegistered",
            "code": "ALREADY_REGISTERED",
            "existingClientIds": [anna],
            "matchedOn": matched,
        }, given
    assert await clients_of(clinic) == 1
    # And a retry of the first registration is answered as the first time
    assert await register(clinic, **ANNA, idempotencyKey=key) == first

    # When her twin, on the family phone, is refused and then registered on purpose (the
    # refused request's key is free: nothing was claimed for it)
    twin_key = new_key()
    twin = {**ANNA, "fullName": "Ewa Nowak", "email": None, "idempotencyKey": twin_key}
    assert (await register(clinic, **twin))["matchedOn"] == ["PHONE"]
    registered = await register(clinic, **twin, registerAnyway=True)
    assert registered["__typename"] == "ClientPayload", registered
    assert await register(clinic, **twin, registerAnyway=True) == registered
    ewa = registered["client"]["id"]
    # Then the next caller on that phone is shown both
    third = await register(clinic, **{**again, "phone": "+48600100201"})
    assert set(third["existingClientIds"]) == {anna, ewa}
    assert await clients_of(clinic) == 2

    # And a corrected phone finds the client too
    amended = await write(
        clinic,
        AMEND_CLIENT_IDENTITY,
        Role.FRONT_DESK,
        clientId=ewa,
        phone="+48 600 100 299",
        reason="her own number",
    )
    assert amended["__typename"] == "ClientPayload", amended
    by_new_phone = await register(clinic, **{**again, "phone": "+48600100299"})
    assert (by_new_phone["existingClientIds"], by_new_phone["matchedOn"]) == ([ewa], ["PHONE"])

    # And another clinic knows nothing of them: the same person is new there
    elsewhere = await register(other, **ANNA)
    assert elsewhere["__typename"] == "ClientPayload", elsewhere


async def test_naming_a_client_already_registered_is_a_read_of_that_client(
    fresh_clinic: FreshClinic,
) -> None:
    # Given Anna registered, and the reads of her file the trail holds
    clinic = await fresh_clinic()
    anna = raw_client((await register(clinic, **ANNA))["client"]["id"])
    reads = AuditEntry.filter(client_id=anna, action=CLIENT_READ)
    before = await reads.count()
    # When the desk registers someone by her phone and is told she is a client already
    stranger = {"fullName": "Someone Else", "birthDate": "1970-05-05", "dataConsent": True}
    refused = await register(clinic, **stranger, phone="+48600100201")
    assert refused["__typename"] == "ClientAlreadyRegistered", refused
    # Then the answer, which tells whose phone it is, is in her trail as a read by the desk
    after = await reads.order_by("seq").values_list("actor_role", flat=True)
    assert (len(after), after[-1]) == (before + 1, Role.FRONT_DESK.value)


# (the clinic's time zone, a number as one desk writes it, the same as another writes it)
SAME_NUMBERS = [
    ("Europe/Warsaw", "600 100 200", "+48 600 100 200"),
    ("Europe/Warsaw", "+48 600 100 200", "0048600100200"),
    ("Europe/Moscow", "8 916 123-45-67", "+7 916 123 45 67"),
    ("Europe/Moscow", "+7 (916) 123-45-67", "916 123 45 67"),
    ("Asia/Shanghai", "138 0013 8000", "+86 138 0013 8000"),
    ("Asia/Shanghai", "0086 138 0013 8000", "13800138000"),
    ("Europe/Moscow", "00 48 600 100 200", "+48 600 100 200"),
    ("UTC", "+48 600 100 200", "0048600100200"),
]


async def test_a_number_with_and_without_its_country_code_is_one_number(
    fresh_clinic: FreshClinic,
) -> None:
    for zone, first, second in SAME_NUMBERS:
        # Given a clinic in Poland, Russia or China, and a client registered with a number
        clinic = await fresh_clinic()
        await Clinic.filter(id=await clinic_of(clinic)).update(timezone=zone)
        anna = (await register(clinic, **{**ANNA, "email": None, "phone": first}))["client"]
        # When someone else is registered with that number written the other way
        stranger = {"fullName": "Someone Else", "birthDate": "1970-05-05", "dataConsent": True}
        refused = await register(clinic, **stranger, phone=second)
        # Then the desk is told it is the client's number (the clinic's country code is the
        # one a number without it has; Russia's trunk prefix 8 is that code too)
        assert (refused["__typename"], refused.get("existingClientIds")) == (
            "ClientAlreadyRegistered",
            [anna["id"]],
        ), (zone, first, second, refused)
    # And a number of another country written without its code is not read as the clinic's
    warsaw = await fresh_clinic()
    await register(warsaw, **{**ANNA, "email": None, "phone": "+7 916 123 45 67"})
    other = await register(warsaw, **{**ANNA, "fullName": "Ewa Lis", "phone": "916 123 45 67"})
    assert other["__typename"] == "ClientPayload", other


async def test_a_name_written_with_invisible_or_decomposed_characters_is_the_same_name(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a client registered as "Zoë Nowak"
    clinic = await fresh_clinic()
    zoe = {"fullName": "Zo\u00eb Nowak", "birthDate": "1990-01-01", "dataConsent": True}
    first = (await register(clinic, **zoe, phone="+48 600 100 300"))["client"]
    # When she is registered again with a decomposed ë, a soft hyphen, or full-width letters
    # (each time with a number of its own: only the name and the birth date can find her)
    spellings = ("Zoe\u0308 Nowak", "Zo\u00eb No\u00adwak", "\uff3a\uff4f\u00eb Nowak")
    answers = [
        await register(clinic, **{**zoe, "fullName": name}, phone=f"+48 600 100 30{n}")
        for n, name in enumerate(spellings, start=1)
    ]
    # Then each time the desk is told it is her, by her name and birth date
    assert [(a["__typename"], a.get("existingClientIds")) for a in answers] == [
        ("ClientAlreadyRegistered", [first["id"]])
    ] * 3, answers
    assert await clients_of(clinic) == 1
