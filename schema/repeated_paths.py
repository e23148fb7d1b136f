"""How many times one response path is selected, fragments expanded: the work of graphql-core's
rule that fields of one name can be merged.

That rule compares every pair of fields that answer at the same place, and each pair's
selections again, merged: 400 copies of ``__schema { __typename }`` (8 KB, 1,600 tokens, 800
fields, within every other limit) took 1.1 s of validation, on the event loop, for anyone,
signed in or not, and eight such requests at once held ``/healthz`` for 8.7 s. Ten copies of a
field each holding ten copies of another are compared as a hundred. So the fields answering at
each response path are counted, with every fragment expanded and same-named parents merged, as
the rule sees them, and a document counting more than `MAX_REPEATS` at one path is refused
before that rule's cost matters. A client's fragments ask for one place a few times: a union's
members each asking for the journey they answer with, eight at most in the project's own
documents.

The walk runs only on documents within the field limit (`schema.limits`), so it visits at most
that many fields; fragments that hold no field (unknown, cyclic) are not walked, and each step
counts against a budget, so a long chain of spreads costs no more than it.
"""

from __future__ import annotations

from collections.abc import Callable

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)

# Twice the most the project's own documents ask (8), for a client's fragments. The rule's cost
# at the bound, the field limit spent on it: 25 places of 16 copies each, 36 ms of validation
# on this project's 2-core machine (10: 32 ms; 32: 157 ms).
MAX_REPEATS = 16
# Selections and spreads one walk may step through: the fields within the field limit, each
# reached through a few fragments.
STEP_BUDGET = 20_000


class TooManySteps(Exception):
    """The walk ran out of its budget: the document is refused as too repetitive."""


class PathCounter:
    """Counts the fields answering at each response path of one operation."""

    def __init__(
        self,
        fragments: dict[str, FragmentDefinitionNode],
        holds_fields: Callable[[str], bool],
    ) -> None:
        self.fragments, self.holds_fields = fragments, holds_fields
        self.counts: dict[tuple[str, ...], int] = {}
        self.steps = 0
        self.in_progress: set[str] = set()

    def most_repeated(self, selection_set: SelectionSetNode) -> int:
        """The count of the most selected response path; past the budget, one past the bound."""
        try:
            self.walk(selection_set, ())
        except (TooManySteps, RecursionError):
            return MAX_REPEATS + 1
        return max(self.counts.values(), default=0)

    def walk(self, selection_set: SelectionSetNode, path: tuple[str, ...]) -> None:
        for selection in selection_set.selections:
            self.steps += 1
            if self.steps > STEP_BUDGET:
                raise TooManySteps
            if isinstance(selection, FieldNode):
                if selection.selection_set is None:
                    continue  # a leaf's pairs are compared cheaply: 660 of one name, 90 ms
                here = (*path, (selection.alias or selection.name).value)
                self.counts[here] = self.counts.get(here, 0) + 1
                self.walk(selection.selection_set, here)
            elif isinstance(selection, InlineFragmentNode):
                self.walk(selection.selection_set, path)
            elif isinstance(selection, FragmentSpreadNode):
                self.spread(selection.name.value, path)

    def spread(self, name: str, path: tuple[str, ...]) -> None:
        definition = self.fragments.get(name)
        if definition is None or name in self.in_progress or not self.holds_fields(name):
            return  # refused by the standard rules, or adds nothing
        self.in_progress.add(name)
        try:
            self.walk(definition.selection_set, path)
        finally:
            self.in_progress.discard(name)
