"""A clinic's day through every part of the API, as the canary and the exactly-once sweep
walk it."""

from __future__ import annotations

from tests.api.canary_admin import administer
from tests.api.canary_file import keep_a_file
from tests.api.canary_money import pay_and_refund
from tests.api.canary_photos import take_a_photo
from tests.api.canary_procedures import follow_a_procedure_type
from tests.api.canary_visits import Visit, open_the_desk, treat_one_client, walk_the_other_paths
from tests.api.canary_ward import keep_the_ward


async def walk_the_day(visit: Visit) -> None:
    """The desk opened, a client treated, the other paths of a journey, the clinic administered,
    a client's file kept, the ward after an operation, a photo taken, a procedure type followed,
    money taken and given back."""
    await open_the_desk(visit)
    await treat_one_client(visit)
    await walk_the_other_paths(visit)
    await administer(visit)
    await keep_a_file(visit)
    await keep_the_ward(visit)
    await take_a_photo(visit)
    await follow_a_procedure_type(visit)
    await pay_and_refund(visit)
