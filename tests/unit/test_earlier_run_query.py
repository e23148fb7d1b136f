"""The API asks a journey and a desk by name whether a run before the current one answered an
update (`workflows.client.EARLIER_RUN_QUERY`); a workflow that stopped answering it would make
every such question "no" (a query it does not know fails, read as an older worker's answer), and
a lost step taken before a continue-as-new would be judged afresh without a test noticing."""

from __future__ import annotations

import pytest
from temporalio import workflow

from workflows.client import EARLIER_RUN_QUERY
from workflows.journey import JourneyWorkflow
from workflows.triage import TriageDeskWorkflow


@pytest.mark.parametrize("workflow_class", [JourneyWorkflow, TriageDeskWorkflow])
def test_the_workflows_answer_the_query_the_api_asks(workflow_class: type) -> None:
    definition = workflow._Definition.from_class(workflow_class)
    assert definition is not None
    assert EARLIER_RUN_QUERY in definition.queries
