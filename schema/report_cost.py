"""How many reports one operation may ask for, counted before any of them runs.

A report reads every row of its month or of its client on the event loop (the monthly ones
then fold them on a thread of their own, `domain.report_folds`: the reads cost most); the answer
is small, so neither the document limits nor the answer-size estimate see its cost (a
list without `first`, a few values). Thirty aliases of one fit every other limit: on a test
clinic's month of 3,000 first visits, one `consultantFigures` took 0.8 to 1.2 s; thirty in one
request ran 12 to 22 s of CPU until the request deadline stopped them at 30 s, and held every
other request of the process up to 2.2 s at a time. The others cost 0.05 to 0.3 s each, and
thirty of one 1.9 to 7.4 s: `billingHistory` of a client with 300 bills, `surveyResults` and
`keyItemRanking` of that month, `partnerStatement` of 490 lines (1.9 MB).

So each report weighs what one costs, in quarters of a second of that month (`REPORT_WEIGHTS`),
and an operation asks for at most `MAX_REPORT_WEIGHT` of them: a screen's report, two months of
consultant figures side by side, or one with the supervisor's other figures. The count is exact:
graphql-core runs a root field once per response key (an alias, else its name), however many
fragments select it, so each key is counted once and named fragments once each, in time linear
in the document.
"""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)

# Query field -> its weight: one report's cost on the measured month, in quarters of a second
# (rounded up; at least one).
REPORT_WEIGHTS = {
    "consultantFigures": 4,
    "billingHistory": 1,
    "keyItemRanking": 1,
    "partnerStatement": 1,
    "surveyResults": 1,
}
# About two seconds of the measured month's reports in one request.
MAX_REPORT_WEIGHT = 8


class _RootKeys:
    """The reports an operation's root selects, by response key, fragments expanded."""

    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.seen: set[str] = set()
        self.reports: dict[str, str] = {}  # response key -> report field

    def collect(self, selection_set: SelectionSetNode) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name in REPORT_WEIGHTS:
                    key = selection.alias.value if selection.alias else name
                    self.reports[key] = name
            elif isinstance(selection, InlineFragmentNode):
                self.collect(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                # Spread again, a fragment adds no field the executor would not merge.
                name = selection.name.value
                definition = self.fragments.get(name)
                if definition is not None and name not in self.seen:
                    self.seen.add(name)
                    self.collect(definition.selection_set)


def report_weight(document: DocumentNode, operation: OperationDefinitionNode) -> int:
    """What the operation's reports weigh together (reports exist on Query only)."""
    if operation.operation != OperationType.QUERY:
        return 0
    keys = _RootKeys(document)
    keys.collect(operation.selection_set)
    return sum(REPORT_WEIGHTS[name] for name in keys.reports.values())


def report_refusal(
    document: DocumentNode, operation: OperationDefinitionNode, label: str
) -> GraphQLError | None:
    """Why the operation asks for too many reports, or None."""
    weight = report_weight(document, operation)
    if weight <= MAX_REPORT_WEIGHT:
        return None
    weights = ", ".join(f"{name} {w}" for name, w in REPORT_WEIGHTS.items())
    return GraphQLError(
        f"'{label}' asks for reports weighing {weight} in all, more than {MAX_REPORT_WEIGHT} "
        f"({weights}, each time it is asked): ask for fewer of them, or for the rest in "
        "requests of their own",
        operation,
    )
