"""Every mutation that writes acts once per idempotency key, whatever its attempts.

A clinic's whole day (the canary's: every mutation with valid inputs, in an order that makes
each legal) is walked with each writing request sent twice at once, once more after the
answers, and once with the same key and a changed input (`tests.api.exactly_once`). The list of
mutations comes from the schema: a new one without its row in `exactly_once_rows` fails here.
"""

from __future__ import annotations

import pytest
from temporalio.testing import WorkflowEnvironment

from schema.build import schema
from tests.api.canary import Canary, introspected
from tests.api.canary_day import walk_the_day
from tests.api.canary_visits import open_clinic
from tests.api.conftest import TASK_QUEUE
from tests.api.exactly_once_day import SweptVisit, desk_settled, the_rest_of_the_day
from tests.api.exactly_once_rows import ROWS, WITHOUT_KEY
from tests.api.harness import Api

EVERY_CHECK = {"race", "retry", "conflict", "refused", "unstorable"}
# An input of nothing but a flag and its key: nothing its checks could refuse by its shape.
# Not sent with text no database can store: an input of no text but an enum's value, and a
# request whose first answer signed its caller out (`Row.signs_out`).
NOT_UNSTORABLE = {"setStageSla", "changePassword"}
# An input of nothing but a flag and its key: nothing its checks could refuse by its shape.
ONLY_A_FLAG = {"logout"}


def test_every_mutation_has_its_row() -> None:
    # The rows name mutations of the schema only, and each mutation once
    mutations = set(schema._schema.mutation_type.fields)  # type: ignore[union-attr]
    assert not set(ROWS) & set(WITHOUT_KEY)
    assert sorted(set(ROWS) | set(WITHOUT_KEY)) == sorted(mutations)


@pytest.mark.slow
async def test_every_writing_mutation_acts_once_per_key(
    api: Api, temporal_env: WorkflowEnvironment
) -> None:
    # Given a clinic of its own, its staff signed in
    canary = Canary(await introspected(api))
    visit = SweptVisit.of(await open_clinic(api, canary))
    visit.sweep.settle = desk_settled(visit, temporal_env.client, TASK_QUEUE)
    # When its day is walked, each writing request sent as a client retrying hard sends it
    await walk_the_day(visit)
    await the_rest_of_the_day(visit)
    # Then every attempt got the first answer, the changed input a Conflict, and one write was
    # made of each request
    assert visit.sweep.problems == []
    # And every mutation of the schema that takes a key was checked all three ways
    assert canary.schema.mutation_type is not None
    keyed = set(canary.schema.mutation_type.fields) - set(WITHOUT_KEY)
    assert {name: checks for name, checks in visit.sweep.checked.items()} == {
        name: _checks_of(name) for name in keyed
    }


def _checks_of(mutation: str) -> set[str]:
    if mutation in ONLY_A_FLAG:
        return EVERY_CHECK - {"refused", "unstorable"}
    if mutation in NOT_UNSTORABLE:
        return EVERY_CHECK - {"unstorable"}
    return EVERY_CHECK
