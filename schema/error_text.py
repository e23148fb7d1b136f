"""Error messages as the client reads them: faults masked, and no schema given away.

graphql-core ends many messages with suggestions drawn from the schema ("Cannot query field
'journy' on type 'Query'. Did you mean 'journey' or 'journeys'?"). Asked with made-up names,
they spell the schema out to anyone, signed in or not, which is what turning introspection off
keeps private. So with introspection off the suggestions are cut; in development (introspection
on) they stay, as help. graphql-core 3.3 has no per-schema switch for them (its `MAX_LENGTH` is
one for the whole process), hence the cut here, where the answer's errors are masked anyway.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

# Always appended at a message's end by graphql-core's `did_you_mean`; names hold no `?`.
_SUGGESTION = re.compile(r" Did you mean [^?]*\?")


def without_suggestions(message: str) -> str:
    return _SUGGESTION.sub("", message)


class PublicErrors(MaskErrors):
    """Masks the errors `should_mask_error` picks; with `hide_suggestions`, cuts the
    suggestions out of the others."""

    def __init__(
        self, should_mask_error: Callable[[GraphQLError], bool], hide_suggestions: bool
    ) -> None:
        super().__init__(should_mask_error=should_mask_error)
        self.hide_suggestions = hide_suggestions

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        if not self.hide_suggestions:
            return processed
        return [_cut(error) for error in processed]


def _cut(error: GraphQLError) -> GraphQLError:
    message = without_suggestions(error.message)
    if message == error.message:
        return error
    # A new error, not the old one changed: the validation cache keeps the errors it found.
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions=error.extensions,
    )
