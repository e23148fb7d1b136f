"""No free text in Temporal: ids and codes only.

Every free-text input of every mutation is typed as a canary marker through the real API; each
must then be in the database (where staff's words belong: the positive control that the run
really wrote it) and nowhere in Temporal (every run's history, memo, search attributes and query
answer) or in the worker's log lines. The schema is walked too, so a new free-text input that
the run does not type a marker into fails the test.
"""

from __future__ import annotations

import uuid

import pytest
from graphql import build_schema
from temporalio.testing import WorkflowEnvironment

from tests.api.canary import CODES, NEVER_STORED, Canary, free_text_paths, introspected, is_code
from tests.api.canary_day import walk_the_day
from tests.api.canary_scan import (
    database_text,
    found,
    query_answer,
    recorded,
    runs_on,
    worker_logs,
)
from tests.api.canary_visits import (
    DESK_WORDS,
    desk_as_read,
    open_clinic,
    sign_in_with_the_canary,
)
from tests.api.conftest import api_settings
from tests.api.harness import eventually, running_api
from workflows.connect import connect
from workflows.triage import desk_workflow_id
from workflows.worker import build_worker


@pytest.mark.slow
async def test_free_text_is_kept_in_the_database_and_never_reaches_temporal(
    database: str, temporal_env: WorkflowEnvironment, temporal_address: str
) -> None:
    # Given a server and a worker of their own (every workflow on this task queue is this
    # run's), the worker's client made as the worker process makes it, and its log captured
    queue = f"canary-{uuid.uuid4().hex[:8]}"
    temporal = await connect(temporal_address, temporal_env.client.namespace)
    settings = api_settings(database, temporal_address, queue)
    with worker_logs() as logs:
        async with build_worker(temporal, queue), running_api(settings, temporal) as api:
            # When a clinic's day runs through every mutation that takes free text
            canary = Canary(await introspected(api))
            visit = await open_clinic(api, canary)
            await sign_in_with_the_canary(visit)
            await walk_the_day(visit)
            runs = await runs_on(temporal, queue, visit.workflow_ids())
            answers = {(run.id, run.run_id): await query_answer(temporal, run) for run in runs}
            desk = await eventually(
                lambda: desk_as_read(visit),
                lambda read: all(canary.marked[path] in str(read) for path in DESK_WORDS),
                timeout=30,
                what="the staff's words in the desk's log",
            )
            handed_back = visit.handed_back.encode()

            async def logged() -> bytes:
                return logs.text()

            await eventually(
                logged,
                lambda text: handed_back in text,
                timeout=30,
                what="the worker's line on the refused hand-over",
            )
        # (the worker has stopped: whatever it logged is in)
    records = [await recorded(temporal, run) for run in runs]
    for record in records:
        record.query = answers[(record.workflow_id, record.run_id)]
    in_temporal = {where: data for record in records for where, data in record.parts().items()}
    marked = canary.marked

    # Then every free-text input of the schema was typed, and the codes left out are still there
    paths = free_text_paths(canary.schema)
    assert sorted(path for path in paths if not is_code(path)) == sorted(marked)
    assert set(CODES) <= paths
    # And the database holds every one of them (the positive control: the run wrote them)
    stored = await database_text()
    assert {
        path for path, needle in marked.items() if needle.encode() not in stored
    } <= NEVER_STORED
    # And staff still read their words on the desk, from the database
    name = marked["setRotationPolicy.input.name"]
    assert desk["policy"] == f"{name} v2"
    assert {entry["policy"] for entry in desk["log"]} >= {f"{name} v2"}
    # And Temporal holds none of them: no history, memo, search attribute or query answer
    assert found(marked, in_temporal) == []
    # And no idempotency key either (a client may build its keys from what it sends)
    keys = {f"key {kind}": key for kind, key in visit.controls.items()}
    assert found(keys, in_temporal) == []
    # Nor an id derived from a key alone: one that a guessed key could be checked against
    guessable = {f"from key {kind}": i for kind, i in visit.key_derived_update_ids().items()}
    assert found(guessable, in_temporal) == []
    # While the same scan finds what the API did hand Temporal: the update ids derived from
    # those keys, the clinic in every run's input and answer, and in the journeys' search
    # attributes
    derived = await visit.control_update_ids()
    controls = {f"control {kind}": update_id for kind, update_id in derived.items()}
    hits = found(controls, in_temporal)
    assert any(hit.startswith("control desk in history of triage-desk-") for hit in hits), hits
    assert any(hit.startswith("control journey in history of ") for hit in hits), hits
    for record in records:
        parts = record.parts()
        assert visit.clinic.encode() in parts[f"history of {record.workflow_id} ({record.run_id})"]
        assert visit.clinic.encode() in record.query
        if record.workflow_id != desk_workflow_id(visit.clinic):
            assert visit.clinic.encode() in record.description
    # And the worker logged none of them, though the capture holds what the worker did log
    assert found(marked, {"the worker's log": logs.text()}) == []
    assert b"Beginning worker shutdown" in logs.text()


def test_the_schema_walk_finds_every_free_text_input_of_a_new_mutation() -> None:
    # Given a schema with a new mutation whose input has text at every depth, and an id
    schema = build_schema(
        """
        scalar JSON
        type Query { ok: Int }
        type Mutation { noteIt(input: NoteInput!): Int }
        input NoteInput {
          journeyId: ID!
          note: String
          details: JSON
          idempotencyKey: String
          lines: [LineInput!]!
        }
        input LineInput { text: [String!]! count: Int }
        """
    )
    # When the canary walks it
    paths = free_text_paths(schema)
    # Then it finds each text input; only the idempotency key counts as an id
    assert paths == {
        "noteIt.input.note",
        "noteIt.input.details",
        "noteIt.input.idempotencyKey",
        "noteIt.input.lines.text",
    }
    assert [path for path in sorted(paths) if is_code(path)] == ["noteIt.input.idempotencyKey"]
    # And a canary fills each of them, so the run would have to drive the mutation
    canary = Canary(schema)
    filled = canary.fill("noteIt", {"journeyId": "j", "lines": [{"count": 1}]})
    assert filled["note"] == canary.marked["noteIt.input.note"]
    assert filled["details"] == {"canary": canary.marked["noteIt.input.details"]}
    assert filled["lines"] == [{"count": 1, "text": [canary.marked["noteIt.input.lines.text"]]}]
    assert "idempotencyKey" not in filled
