"""Error messages as the client reads them: faults masked, and no schema given away.

graphql-core ends many messages with suggestions drawn from the schema ("Cannot query field
'journy' on type 'Query'. Did you mean 'journey' or 'journeys'?"). Asked with made-up names,
they spell the schema out to anyone, signed in or not, which is what turning introspection off
keeps private. So with introspection off the suggestions are cut; in development (introspection
on) they stay, as help. graphql-core 3.3 has no per-schema switch for them (its `MAX_LENGTH` is
one for the whole process), hence the cut here, where the answer's errors are masked anyway.

The messages also quote what the caller sent: a made-up field's name, a variable's unknown key.
A name can be as long as the request body allows (a megabyte), and every error quoting it would
echo it whole, into the answer and the log line of each refusal. So a quoted name longer than any
the schema has is shortened, and a message as a whole is bounded, whether introspection is on or
off.

A variable's value the schema cannot take is told as a refused argument is: its extensions name
the input and the problem (`schema.variable_errors`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from schema.variable_errors import input_extensions

# Always appended at a message's end by graphql-core's `did_you_mean`; names hold no `?`.
_SUGGESTION = re.compile(r" Did you mean [^?]*\?")


# Longer than any name the schema has (the longest are about 40 characters).
LONGEST_QUOTED = 80
# Quoted in single quotes by graphql-core, in double quotes by Strawberry.
_LONG_QUOTED = re.compile(rf"""(['"])([^'"]{{{LONGEST_QUOTED}}})[^'"]+\1""")
# graphql-core's own messages stay well under this; only echoed input reaches it.
LONGEST_MESSAGE = 1_000


def without_suggestions(message: str) -> str:
    return _SUGGESTION.sub("", message)


def shortened(message: str) -> str:
    """The message with each quoted text longer than `LONGEST_QUOTED` cut to that length and
    marked with an ellipsis, and the whole at most `LONGEST_MESSAGE` characters."""
    short = _LONG_QUOTED.sub(lambda quoted: f"{quoted[1]}{quoted[2]}…{quoted[1]}", message)
    if len(short) > LONGEST_MESSAGE:
        short = short[: LONGEST_MESSAGE - 1] + "…"
    return short


class PublicErrors(MaskErrors):
    """Masks the errors `should_mask_error` picks, shortens the others' long quotes and, with
    `hide_suggestions`, cuts the suggestions out of them."""

    def __init__(
        self, should_mask_error: Callable[[GraphQLError], bool], hide_suggestions: bool
    ) -> None:
        super().__init__(should_mask_error=should_mask_error)
        self.hide_suggestions = hide_suggestions

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        return [_cut(error, self.hide_suggestions) for error in processed]


def _bounded(extensions: dict[str, str] | None) -> dict[str, str] | None:
    """The input extensions with a field path no longer than any the schema has: it quotes what
    the caller sent (an unknown field's name), which a message shortens too."""
    if extensions is not None and len(extensions["field"]) > LONGEST_QUOTED:
        extensions["field"] = extensions["field"][:LONGEST_QUOTED] + "…"
    return extensions


def _cut(error: GraphQLError, hide_suggestions: bool) -> GraphQLError:
    message = without_suggestions(error.message) if hide_suggestions else error.message
    message = shortened(message)
    extensions = error.extensions or _bounded(input_extensions(error.message)) or error.extensions
    if message == error.message and extensions is error.extensions:
        return error
    # A new error, not the old one changed: the validation cache keeps the errors it found.
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions=extensions,
    )
