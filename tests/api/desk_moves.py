"""For the tests of the desk following a journey the supervisor moves (`reassignJourney`): a
first visit the desk gave the first consultant, and the supervisor's move of her journey."""

from __future__ import annotations

from dataclasses import dataclass

from domain.roles import Role
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, Staff
from tests.api.test_desk_learns import _sign_in
from tests.api.test_triage_api import AUTO_ASSIGN, _desk_clinic, _journey_at_triage


@dataclass(frozen=True)
class Placed:
    """A desk clinic's first visit, placed with its first consultant and not yet taken."""

    clinic: str
    staff: dict[Role, Staff]
    consultants: list[str]  # their Relay ids, in the desk's order
    journey: str  # her journey's Relay id
    driver: JourneyDriver  # its consultant: the one the test's moves lead to

    @property
    def desk(self) -> str:
        """The front desk's token."""
        return self.staff[Role.FRONT_DESK].token


async def placed_with_the_first(api: Api, consulting: int) -> Placed:
    """A new desk clinic's first visit the desk gave the first consultant; the driver's
    consultant is the one at `consulting` in the desk's order."""
    clinic, staff, consultants = await _desk_clinic(api)
    desk = staff[Role.FRONT_DESK].token
    journey = await _journey_at_triage(api, desk, 1)
    placed = (await api.run(AUTO_ASSIGN, desk, input={"journeyId": journey}))["autoAssign"]
    assert placed["decision"]["consultantId"] == consultants[0], placed
    consultant = await _sign_in(api, f"{clinic}-c{consulting}", Role.CONSULTANT)
    driver = JourneyDriver(api, {**staff, Role.CONSULTANT: consultant})
    return Placed(clinic, staff, consultants, journey, driver)


async def moved(placed: Placed, to: str, reason: str = "the client asked for her") -> None:
    """The supervisor moves her journey to the consultant `to` (`reassignJourney`)."""
    await placed.driver.ok(
        documents.REASSIGN_JOURNEY,
        Role.SUPERVISOR,
        journeyId=placed.journey,
        consultantId=to,
        reason=reason,
    )
