"""Query, Mutation and Subscription roots, the limits, and error masking."""

from __future__ import annotations

import functools
import logging
from typing import Any

import strawberry
from graphql import ASTValidationRule, GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

from schema import enums  # noqa: F401  (registers the domain enums with Strawberry)
from schema.answer_bytes import BoundedAnswerExecutor
from schema.audit.extension import AuditTrail
from schema.auth.session import SessionCheck
from schema.auth.watch import SessionEnded
from schema.descriptions import describe
from schema.document_gate import DocumentCaches, DocumentGate
from schema.error_text import LONGEST_QUOTED, PublicErrors, shortened
from schema.input_check import InputCheck, InputNotAccepted
from schema.limits import DocumentLimitsRule
from schema.live_errors import SubscriptionRefused
from schema.metrics import OperationMetrics
from schema.permissions import FieldNotPermitted, PermissionGuard
from schema.roots.accounts import AccountMutations
from schema.roots.aftercare import AftercareMutations
from schema.roots.client_file import ClientFileMutations
from schema.roots.complaints import ComplaintMutations
from schema.roots.desk import DeskMutations
from schema.roots.journey import JourneyMutations
from schema.roots.money import MoneyMutation
from schema.roots.partners import PartnerMutations
from schema.roots.procedures import ProcedureMutations
from schema.roots.queries import Query
from schema.roots.subscriptions import Subscription
from schema.scalars import SCALAR_OVERRIDES
from schema.unanswered import TemporalSilence

log = logging.getLogger(__name__)

MAX_TOKENS = 2000


@strawberry.type
class Mutation(
    AccountMutations,
    ClientFileMutations,
    ComplaintMutations,
    JourneyMutations,
    ProcedureMutations,
    MoneyMutation,
    PartnerMutations,
    AftercareMutations,
    DeskMutations,
):
    """The areas' mutations joined (schema.roots: one module per area)."""


# Strawberry's refusals of a request that names no operation it can run: an `operationName`
# the document does not hold, a document of fragments alone. Over HTTP they are a 400; over the
# socket they reach the answer wrapped, and were masked as "Unexpected error." and logged as
# faults.
_OPERATION_NOT_CHOSEN = (CannotGetOperationTypeError, InvalidOperationTypeError, MissingQueryError)


# Errors from the limiters and from parsing/validation tell the client what to fix; anything
# raised from inside a resolver is unexpected and masked (it is logged by Strawberry).
def _should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, (GraphQLError, *_OPERATION_NOT_CHOSEN))


def extensions(
    introspection: bool = True, audit_trail: bool = True, permissions: bool = True
) -> list[object]:
    """`audit_trail=False`, `permissions=False`: for benchmarks of their cost, never serving."""
    rules: tuple[type[ASTValidationRule], ...] = (DocumentLimitsRule,)
    if not introspection:
        rules += (NoSchemaIntrospectionCustomRule,)
    chosen: list[object] = [
        OperationMetrics,  # first: its timing and outcome wrap all the others
        SessionCheck,  # who is asking, checked once per operation before it runs
        # Factories, not instances: Strawberry builds fresh extensions for every operation.
        # Tokens bound the document itself; depth, aliases and fields are counted with
        # fragments expanded, in time linear in the document (schema.limits); then the
        # variables, the answer and the operation chosen. Each document is parsed and
        # validated once (SPAs send the same few over and over).
        functools.partial(
            DocumentGate,
            max_tokens=MAX_TOKENS,
            rules=rules,
            # the limits alone first: a document past them is refused before the costly rules
            caches=DocumentCaches(first=(DocumentLimitsRule,)),
        ),
        # Faults masked; with introspection off, no "Did you mean ...?" naming the schema.
        functools.partial(
            PublicErrors, should_mask_error=_should_mask, hide_suggestions=not introspection
        ),
        # Closest to the resolver (the later a resolve hook, the earlier it runs): a mutation
        # Temporal did not answer answers `Unavailable`, as data.
        TemporalSilence,
        # Text no column can store is refused before any resolver sees it; a refusal under a
        # key claimed for another request is a Conflict, whichever check refused it.
        InputCheck,
    ]
    if permissions:
        # Every field of every operation passes the permission table, before the input check
        # (the later a resolve hook in this list, the earlier it runs): a caller who may not
        # call a field hears that, not what its input lacks.
        chosen.insert(chosen.index(InputCheck) + 1, PermissionGuard)
    if audit_trail:
        # After the others: it ends first, so the metrics time its write and count an answer
        # it withholds.
        chosen.append(AuditTrail)
    return chosen


class GlowpathSchema(strawberry.Schema):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What the code leaves undescribed is described from the tables (schema.descriptions).
        self.coded_descriptions = describe(self._schema)

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        # A subscription ended by its session or refused at its start (nothing to watch) is
        # expected (the former logged at INFO when it happens), and
        # so are a field the permission table refuses and input the input check refuses (the
        # answer says so): none is a fault, and anyone could fill the log with them.
        reported = [
            error
            for error in errors
            if not isinstance(error, SessionEnded | SubscriptionRefused)
            and not isinstance(error.original_error, SubscriptionRefused)
            and not isinstance(error.original_error, FieldNotPermitted)
            and not isinstance(error.original_error or error, InputNotAccepted)
        ]
        # The rest the caller caused (a syntax error, an unknown field, a variable of the wrong
        # type, a limit) are logged at INFO with the operation's name; only faults (the errors
        # that are masked) are logged at ERROR, with their traceback.
        faults = [error for error in reported if _should_mask(error)]
        # The name as the request gave it, which may be long and need not name an operation.
        operation = getattr(execution_context, "operation_name", None) or "(unnamed)"
        operation = operation[:LONGEST_QUOTED]
        for error in reported:
            if not _should_mask(error):
                log.info("operation %s refused: %s", operation, shortened(error.message))
        super().process_errors(faults, execution_context)


@functools.cache
def build_schema(
    introspection: bool = True, audit_trail: bool = True, permissions: bool = True
) -> strawberry.Schema:
    """`audit_trail=False` and `permissions=False` are for benchmarks that measure what the
    trail and the permission checks cost, never for serving. Built once a process for each
    choice (a schema holds no request's or server's state): building one takes 60 ms on an idle
    core, and every server a process starts (the tests start hundreds) asks for one."""
    return GlowpathSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions(introspection, audit_trail, permissions),
        scalar_overrides=SCALAR_OVERRIDES,
        # Counts the answer's characters as it is built (`schema.answer_bytes`).
        execution_context_class=BoundedAnswerExecutor,
    )


schema = build_schema()
