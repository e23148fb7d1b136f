"""How many values a request's variables may hold, counted before graphql-core reads them.

graphql-core coerces a request's variables value by value, on the event loop, before any
resolver or permission check runs, so anyone may ask it: one request of 1 MB holding 200,000
one-character ids in a list held every other request of the process 1.2 s (2.6 s when the input
was invalid and its message was built). The document itself is bounded by its tokens; its
variables were bounded only by the body's size. So the values in the variables (each list, each
object and each item of either, each scalar) are counted first, in one pass that stops just
past the bound, and a request past it is refused with what to change.

The bound is far above what any input takes: the largest lists the schema accepts are a rotation
policy's 500 items, a lot's 1,000 recipients read back, a plan's 50 items in 3 plans. At the
bound coercion takes about 0.06 s.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAX_VARIABLE_VALUES = 10_000


def values_within(variables: Mapping[str, Any], most: int) -> bool:
    """Whether the variables hold at most `most` values (counted without recursion: JSON may
    nest hundreds deep)."""
    count, pending = 0, [variables]
    while pending:
        value = pending.pop()
        count += 1
        if count > most + 1:  # the mapping itself counts one
            return False
        if isinstance(value, Mapping):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return True
