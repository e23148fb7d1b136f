"""A variable the schema cannot take, told as a refused argument is (`input_check`).

graphql-core refuses a variable's value before any resolver runs (a `Decimal` that is no number,
an enum value the enum lacks, a required field left out) with a message alone: "Variable
'$input' has invalid value at .finalPlan.price: Decimal cannot represent ...". Its extensions
are empty, so a client had to read the message to find the input it should mark. Here such an
error gets the extensions `InputNotAccepted` carries: `code` VALIDATION_FAILED, `field` (the
variable's name, as the operation names it, and the path in it, in the schema's names:
`input.finalPlan.price` for `$input`, `input.items[2]`) and `problemCode` (a
`FieldProblemCode`). The message is left as it was.

The messages are graphql-core's own, from `coerce_variable_values` and `validate_input_value`;
one it words otherwise (a new release) keeps its message and gets no extensions, as before.
"""

from __future__ import annotations

import re

from domain.errors import ErrorCode, FieldProblemCode

_INVALID_VARIABLE = re.compile(
    r"^Variable '\$(?P<name>\w+)' has invalid value(?: at (?P<path>(?:\.\w+|\[\d+\])+))?: "
    r"(?P<detail>.*)$",
    re.DOTALL,
)
REQUIRED = FieldProblemCode.REQUIRED
# graphql-core's wording, from the detail's start (what follows quotes what the caller sent, which
# must not decide the kind), and the input field it names inside the path when it names one.
_KINDS: list[tuple[re.Pattern[str], FieldProblemCode]] = [
    (re.compile(r"^Expected value of type '[^']*' to include required field '([^']*)'"), REQUIRED),
    (
        re.compile(r"^Expected value of type '[^']*' not to include unknown field '([^']*)'"),
        FieldProblemCode.UNKNOWN_VALUE,
    ),
    (
        re.compile(
            r"^Expected (?:a )?value of non-null type '[^']*' (?:to be provided|not to be None)"
        ),
        REQUIRED,
    ),
    (
        re.compile(r"^Value '.*' does not exist in '\w+' enum\.", re.DOTALL),
        FieldProblemCode.UNKNOWN_VALUE,
    ),
    (
        re.compile(r"^Int cannot represent non 32-bit signed integer value"),
        FieldProblemCode.OUT_OF_RANGE,
    ),
    (re.compile(r"^Within OneOf Input Object"), FieldProblemCode.INVALID),
]


def input_extensions(message: str) -> dict[str, str] | None:
    """The extensions for a variable-value error's message; None for any other message."""
    found = _INVALID_VARIABLE.match(message)
    if found is None:
        return None
    field = found["name"] + (found["path"] or "")
    code = FieldProblemCode.BAD_FORMAT  # a scalar that cannot read the value, or a wrong shape
    for pattern, kind in _KINDS:
        named = pattern.match(found["detail"])
        if named is not None:
            code = kind
            if named.groups():
                field = f"{field}.{named[1]}"
            break
    return {"code": ErrorCode.VALIDATION_FAILED.value, "field": field, "problemCode": code.value}
