"""A partner's registration materials that show nothing (blanks, a line break) are still
missing: the partner is listed as lacking them, and the bank details or agreement it holds are
none. They used to count as given, so a salon that sent spaces for its bank account had its
registration complete (seed 003: without them the registration does not count)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from domain.roles import Role
from tests.api.flow import JourneyDriver
from tests.api.partner_documents import REGISTER, SALON

REGISTERED = """
mutation Register($input: RegisterPartnerInput!) {
  registerPartner(input: $input) {
    __typename
    ... on RegisterPartnerPayload {
      partner { agreementReference bankDetails missingMaterials }
    }
    ... on UserError { code message }
  }
}"""


@pytest.mark.parametrize("blank", ["   ", "\n", " \t\n "])
async def test_materials_that_show_nothing_are_still_missing(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]], blank: str
) -> None:
    # Given a clinic whose supervisor reports a salon with blank bank details and agreement
    clinic = await fresh_clinic()
    salon = {**SALON, "agreementReference": blank, "bankDetails": blank}
    answer = await clinic.api.run(REGISTERED, clinic.token(Role.SUPERVISOR), input=salon)
    # Then both are listed as missing, and the partner holds neither
    assert answer["registerPartner"] == {
        "__typename": "RegisterPartnerPayload",
        "partner": {
            "agreementReference": None,
            "bankDetails": None,
            "missingMaterials": ["agreementReference", "bankDetails"],
        },
    }


async def test_a_new_version_with_blank_bank_details_leaves_them_missing(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]],
) -> None:
    # Given a salon reported without bank details
    clinic = await fresh_clinic()
    supervisor = clinic.token(Role.SUPERVISOR)
    first = (await clinic.api.run(REGISTER, supervisor, input=SALON))["registerPartner"]
    assert first["partner"]["missingMaterials"] == ["bankDetails"], first
    # When a second version sends spaces for them
    again = {**SALON, "partnerId": first["partner"]["id"], "bankDetails": "   "}
    second = (await clinic.api.run(REGISTER, supervisor, input=again))["registerPartner"]
    # Then the registration is still incomplete
    assert second["__typename"] == "RegisterPartnerPayload", second
    assert (second["partner"]["bankDetails"], second["partner"]["missingMaterials"]) == (
        None,
        ["bankDetails"],
    )
