"""Which operation of a document runs, and over which transport: a caller's mistake is refused
with a GraphQL error before anything runs, never guessed at or answered "Unexpected error."

- A document of several operations names the one to run (`operationName`), as the GraphQL
  specification requires: Strawberry ran the first, so a document holding a `logout` and a
  query, sent without a name, signed the caller out.
- A subscription is served over WebSocket (graphql-transport-ws); sent over HTTP it was
  executed as a query and failed inside ("Cannot return null"), logged as a fault.
"""

from __future__ import annotations

from graphql import OperationDefinitionNode
from strawberry.types.execution import ExecutionContext
from strawberry.types.graphql import OperationType

OVER_WEBSOCKET_ONLY = "subscriptions are served over WebSocket (graphql-transport-ws), not HTTP"


def operation_problem(execution: ExecutionContext) -> str | None:
    document = execution.graphql_document
    if document is None:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) > 1 and execution._provided_operation_name is None:
        return f"the document holds {len(operations)} operations: name one in `operationName`"
    over_http = getattr(execution.context, "over_http", False)
    if over_http and execution.operation_type is OperationType.SUBSCRIPTION:
        return OVER_WEBSOCKET_ONLY
    return None
