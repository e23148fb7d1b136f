"""Warranty terms that show nothing (blanks, a line break) are no terms: the clinic's policy
keeps the default terms and the cards it issues print them. They used to be kept as sent, so
every new card printed an empty warranty (found by a hostile pass over `setAftercarePolicy`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from domain.aftercare.warranty import DEFAULT_TERMS
from domain.roles import Role
from tests.api import aftercare_documents as docs
from tests.api.flow import JourneyDriver, new_key

SET_TERMS = """
mutation Policy($input: SetAftercarePolicyInput!) {
  setAftercarePolicy(input: $input) {
    __typename
    ... on AftercarePolicyPayload { policy { warrantyDays warrantyTerms } }
    ... on UserError { code message }
  }
}
"""


@pytest.mark.parametrize("blank", ["   ", "\n", " \t\n "])
async def test_warranty_terms_that_show_nothing_leave_the_default_terms(
    fresh_clinic: Callable[[], Awaitable[JourneyDriver]], blank: str
) -> None:
    # Given a clinic whose supervisor sends warranty terms that show nothing
    clinic = await fresh_clinic()
    policy = {
        "followUpAssignee": "FOLLOW_UP_STAFF",
        "overdueAfterHours": 24,
        "warrantyDays": 365,
        "warrantyTerms": blank,
        "idempotencyKey": new_key(),
    }
    answer = await clinic.api.run(SET_TERMS, clinic.token(Role.SUPERVISOR), input=policy)
    # Then the policy keeps the default terms
    assert answer["setAftercarePolicy"] == {
        "__typename": "AftercarePolicyPayload",
        "policy": {"warrantyDays": 365, "warrantyTerms": DEFAULT_TERMS},
    }
    # And a treatment handed over afterwards is issued a card that prints them
    journey = await clinic.drive_to("HANDOVER")
    data = await clinic.api.run(docs.WARRANTY_OF, clinic.token(Role.FRONT_DESK), id=journey["id"])
    assert data["journey"]["warrantyCard"]["terms"] == DEFAULT_TERMS
