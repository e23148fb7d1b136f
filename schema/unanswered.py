"""A mutation Temporal did not answer in time answers `Unavailable`, as data.

A journey step, a journey's start or a desk change waits on Temporal (`workflows.client`), which
may not answer within the request's time (its worker stopped, the server away): the gateway then
raises `JourneyUnavailable`, wherever in the resolver it was asked, before or after its checks.
Whether the change was made is unknown, so nothing more is written: a draft stays a draft (the
step's event attaches it or reconciliation voids it) and the key's claim stays unfinished, so a
retry with the same key is answered by Temporal's update id (`schema.update_ids`), never run
twice. One place turns it into `Unavailable` for every mutation whose result union has it, so
the SPA hears one type for it; any other field keeps the masked error. A step the journey's
worker refused as one of the release before (`WorkersBehind`, during an upgrade) is `Unavailable`
too, saying so: nothing was done, and the same request sent again after the upgrade does it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from graphql import GraphQLNonNull, GraphQLResolveInfo, GraphQLUnionType
from strawberry.extensions import SchemaExtension

from schema.errors import unavailable, workers_behind
from schema.metrics import TEMPORAL_UNANSWERED
from workflows.client import JourneyUnavailable, WorkersBehind

log = logging.getLogger(__name__)


def answers_unavailable(info: GraphQLResolveInfo) -> bool:
    """Whether the field is a mutation whose result union has `Unavailable`."""
    if info.parent_type.name != "Mutation":
        return False
    result_type = info.return_type
    if isinstance(result_type, GraphQLNonNull):
        result_type = result_type.of_type
    return isinstance(result_type, GraphQLUnionType) and any(
        member.name == "Unavailable" for member in result_type.types
    )


async def _answered(resolved: Callable[[], Any], info: GraphQLResolveInfo) -> Any:
    try:
        result = resolved()
        return await result if hasattr(result, "__await__") else result
    except WorkersBehind:
        # Refused before history, nothing done: the retry, once upgraded, does it.
        log.warning("%s: a journey's worker is of the release before", info.field_name)
        return workers_behind()
    except JourneyUnavailable as error:
        # The cause (a timeout, an RPC status) is the operator's, never the client's.
        log.warning(
            "%s: Temporal did not answer in time (%s; cause %r): answered Unavailable",
            info.field_name,
            error,
            error.__cause__,
        )
        TEMPORAL_UNANSWERED.labels(info.field_name).inc()
        return unavailable()


class TemporalSilence(SchemaExtension):
    """Answers `Unavailable` for a mutation whose resolver heard no answer from Temporal."""

    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if not answers_unavailable(info):
            return _next(root, info, *args, **kwargs)
        return _answered(lambda: _next(root, info, *args, **kwargs), info)
