"""What a query asks of the items of the list being resolved, to leave unread what it does not
(a consent template's texts, a procedure type's content)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, Selection


def _asks(selections: Sequence[Selection], names: Collection[str]) -> bool:
    for selection in selections:
        if isinstance(selection, FragmentSpread | InlineFragment):
            if _asks(selection.selections, names):
                return True
        elif selection.name in names:
            return True
    return False


def asks_any(info: Info[Any, Any], names: Collection[str]) -> bool:
    """Whether any of the fields `names` (as GraphQL names them) is asked of the items, under
    any alias or fragment. A field a directive may skip counts as asked: reading it costs
    time, leaving it unread would answer it wrong."""
    return any(_asks(field.selections, names) for field in info.selected_fields)
