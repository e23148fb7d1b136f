"""Query, Mutation and Subscription roots, the limits, and error masking."""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncGenerator
from typing import Annotated, Any, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.types import Info

from schema import enums  # noqa: F401  (registers the domain enums with Strawberry)
from schema.admin import mutations as admin
from schema.audit import queries as audit_queries
from schema.audit.extension import AuditTrail
from schema.auth.session import SessionCheck
from schema.auth.watch import SessionEnded, while_signed_in
from schema.clients import file_corrections, file_mutations
from schema.clients import identity as client_identity
from schema.clients import mutations as client_mutations
from schema.clients import queries as client_queries
from schema.consents import documents as consent_documents
from schema.consents import templates as consent_templates
from schema.context import Context
from schema.descriptions import describe
from schema.input_check import InputCheck, InputNotAccepted
from schema.journeys import (
    aftercare,
    amendments,
    consent,
    consent_changes,
    consultation,
    intake,
    reception,
    treatment,
)
from schema.journeys import queries as journey_queries
from schema.journeys.actions import JourneyResult
from schema.journeys.subscriptions import journey_changed
from schema.journeys.types import Journey
from schema.limits import DocumentLimitsRule
from schema.live_errors import SubscriptionRefused
from schema.metrics import OperationMetrics
from schema.money import figures as money_figures
from schema.node import node
from schema.partners import queries as partner_queries
from schema.partners import register as partner_register
from schema.partners import statement as partner_statement
from schema.permissions import FieldNotPermitted, PermissionGuard, guard_subscription
from schema.scalars import SCALAR_OVERRIDES
from schema.staff import account
from schema.staff.mutations import LoginResult, login
from schema.staff.permissions import Permissions, my_permissions
from schema.staff.queries import MeResult, me
from schema.supervision import mutations as supervision_mutations
from schema.supervision import queries as supervision_queries
from schema.supervision import slas
from schema.supervision.alerts import JourneyAlert, my_journey_alerts
from schema.supervision.subscriptions import supervisor_board
from schema.supervision.types import BoardUpdate
from schema.triage import assign as triage_assign
from schema.triage import key_items as triage_key_items
from schema.triage import leads as triage_leads
from schema.triage import mutations as triage
from schema.triage import policy as triage_policy
from schema.triage import queries as triage_queries
from schema.triage import reclassify as triage_reclassify
from schema.triage.subscriptions import triage_board_changed
from schema.triage.types import TriageBoard

T = TypeVar("T")
log = logging.getLogger(__name__)

MAX_TOKENS = 2000


@strawberry.type
class Query:
    node = strawberry.field(resolver=node, description="Any object by its global id, or null.")
    me: MeResult = strawberry.field(resolver=me)
    my_permissions: Permissions = strawberry.field(
        resolver=my_permissions,
        description="What you may read and call, so the SPA can hide the rest.",
    )
    journey = strawberry.field(resolver=journey_queries.journey)
    journeys = strawberry.field(resolver=journey_queries.journeys)
    client = strawberry.field(resolver=client_queries.client)
    clients = strawberry.field(resolver=client_queries.clients)
    consent_templates = strawberry.field(
        resolver=consent_templates.consent_templates,
        description="Your clinic's consent template versions, by template, newest first.",
    )
    consent_document = strawberry.field(
        resolver=consent_documents.consent_document,
        description="A signed consent: the text exactly as signed, and whether its hash "
        "still matches the one recorded at signing.",
    )
    stuck_journeys = strawberry.field(
        resolver=supervision_queries.stuck_journeys, description="Ordered by how long over."
    )
    journey_stats = strawberry.field(resolver=supervision_queries.journey_stats)
    stage_slas = strawberry.field(resolver=slas.stage_slas, description="Your clinic's SLAs.")
    triage_board = strawberry.field(resolver=triage_queries.triage_board)
    triage_log = strawberry.field(resolver=triage_queries.triage_log)
    key_item_ranking = strawberry.field(resolver=triage_key_items.key_item_ranking)
    consultant_figures = strawberry.field(
        resolver=money_figures.consultant_figures,
        description="Supervisors: each consultant's month (first visits, conversion, average "
        "ticket, revenue credited). Empty for another clinic or a malformed month.",
    )
    partners = strawberry.field(
        resolver=partner_queries.partners,
        description="Supervisors and cashiers: your clinic's partner salons by name, with "
        "their deadlines; `lapsedOnly` for those that missed one.",
    )
    partner_statement = strawberry.field(
        resolver=partner_statement.partner_statement,
        description="Supervisors and cashiers: what a partner salon is owed for a month under "
        "the seed-003 split, line by line and as CSV.",
    )
    audit_log = strawberry.field(
        resolver=audit_queries.audit_log,
        description="Supervisors: who read or changed a client's data, newest first.",
    )


def _action(resolver: object, description: str) -> JourneyResult:
    return strawberry.mutation(resolver=resolver, description=description)  # type: ignore[call-overload,no-any-return]


@strawberry.type
class Mutation:
    login: LoginResult = strawberry.mutation(
        resolver=login, description="Sign in; failed attempts are throttled."
    )
    logout: account.LogoutResult = strawberry.mutation(
        resolver=account.logout, description="Sign out this token, or every token of yours."
    )
    change_password: account.ChangePasswordResult = strawberry.mutation(
        resolver=account.change_password,
        description="A new password; every token of yours is signed out.",
    )
    register_client = strawberry.mutation(resolver=client_mutations.register_client)
    record_medical_history = strawberry.mutation(
        resolver=file_mutations.record_medical_history,
        description="Clinicians: a medical-history entry (condition, earlier treatment and its "
        "effect, lifestyle, skin care, state of mind, aesthetic wishes).",
    )
    record_allergy = strawberry.mutation(
        resolver=file_mutations.record_allergy,
        description="Clinicians: an allergy (to what, the reaction, how severe).",
    )
    record_medication = strawberry.mutation(
        resolver=file_mutations.record_medication,
        description="Clinicians: a medication the client takes.",
    )
    record_pregnancy_status = strawberry.mutation(
        resolver=file_mutations.record_pregnancy_status,
        description="Clinicians: pregnancy and lactation as the client states them on a day.",
    )
    add_service_card_entry = strawberry.mutation(
        resolver=file_mutations.add_service_card_entry,
        description="Staff who meet the client: a service-card entry.",
    )
    amend_client_entry = strawberry.mutation(
        resolver=file_corrections.amend_client_entry,
        description="Correct an entry of the client file: a new entry that points at the "
        "original, which stays readable. Its author or a supervisor.",
    )
    mark_entered_in_error = strawberry.mutation(
        resolver=file_corrections.mark_entered_in_error,
        description="Mark an entry entered in error instead of deleting it; it stays, marked. "
        "Its author or a supervisor.",
    )
    amend_client_identity = strawberry.mutation(
        resolver=client_identity.amend_client_identity,
        description="Correct the client's name, phone or e-mail; the page as it was stays "
        "readable in `identityHistory`.",
    )
    start_journey = _action(reception.start_journey, "Reception: open a journey for a client.")
    check_in = _action(intake.check_in, "A booked client has arrived: on to triage.")
    assign_consultant = _action(intake.assign_consultant, "Triage: choose the consultant.")
    record_consultation = _action(consultation.record_consultation, "Needs, assessment, plans.")
    close_not_converted = _action(aftercare.close_not_converted, "The client did not convert.")
    request_expert_review = _action(consultation.request_expert_review, "Brief the expert.")
    complete_expert_review = _action(consultation.complete_expert_review, "The expert's final say.")
    sign_consent = _action(
        consent.sign_consent,
        "Record one signed consent: signer and capacity, the exact template version and its "
        "hash, language, witness and the drawn signature.",
    )
    defer_consent = _action(
        consent_changes.defer_consent,
        "The client wants a second talk: the journey waits in CONSENT (its SLA runs on).",
    )
    withdraw_consent = _action(
        consent_changes.withdraw_consent,
        "The client withdraws a consent: before the treatment began, the journey stops.",
    )
    publish_consent_template = strawberry.mutation(
        resolver=consent_templates.publish_consent_template,
        description="Supervisor: a new version of a consent template; published versions never "
        "change.",
    )
    record_payment = _action(consent.record_payment, "Full payment, deposit, top-up, installments.")
    start_treatment = _action(treatment.start_treatment, "Checks on the day; treatment begins.")
    complete_treatment = _action(treatment.complete_treatment, "What was done, products and lots.")
    hand_over = _action(treatment.hand_over, "Aftercare and discomfort notes; follow-ups begin.")
    complete_follow_up = _action(aftercare.complete_follow_up, "Record a follow-up call.")
    close_follow_ups = _action(aftercare.close_follow_ups, "Supervisor: close open follow-ups.")
    cancel_journey = _action(intake.cancel_journey, "Cancelled by the clinic or declined.")
    mark_no_show = _action(intake.mark_no_show, "A booked client did not come.")
    set_stage_sla = strawberry.mutation(
        resolver=slas.set_stage_sla, description="Supervisor: a stage's SLA for new journeys."
    )
    amend_record = strawberry.mutation(
        resolver=amendments.amend_record, description="Correct a record: an amendment, no edit."
    )
    reassign_journey = _action(supervision_mutations.reassign_journey, "Supervisor: new owner.")
    nudge_journey = _action(supervision_mutations.nudge_journey, "Supervisor: note to the owner.")
    escalate_journey = _action(supervision_mutations.escalate_journey, "Supervisor: escalate.")
    close_journey = _action(supervision_mutations.close_journey, "Supervisor: close for good.")
    auto_assign = strawberry.mutation(
        resolver=triage_assign.auto_assign, description="Triage desk."
    )
    place_vip = strawberry.mutation(resolver=triage_assign.place_vip, description="Not a turn.")
    update_triage_seat = strawberry.mutation(resolver=triage.update_seat, description="Duty etc.")
    set_rotation_order = strawberry.mutation(resolver=triage.set_rotation_order)
    accept_client = strawberry.mutation(resolver=triage.accept_client, description="Within 10 min.")
    reassign_client = strawberry.mutation(resolver=triage.reassign_client)
    correct_desk_record = strawberry.mutation(resolver=triage.correct_desk_record)
    consultant_left = strawberry.mutation(resolver=triage.consultant_left)
    record_lead_contact = strawberry.mutation(
        resolver=triage_leads.record_lead_contact,
        description="A phone or online contact; the earliest one owns the client.",
    )
    register_partner = strawberry.mutation(
        resolver=partner_register.register_partner,
        description="Supervisor: report a new partner salon (its deadlines start) or record a "
        "new version of its registration (agreement, bank details, premises photos).",
    )
    set_key_item_priority = strawberry.mutation(
        resolver=triage_key_items.set_key_item_priority,
        description="Supervisor: this month's key-item priority staff, best first.",
    )
    set_rotation_policy = strawberry.mutation(
        resolver=triage_policy.set_rotation_policy, description="Supervisor: the desk's rules."
    )
    reclassify_visit = strawberry.mutation(
        resolver=triage_reclassify.reclassify_visit,
        description="Supervisor or expert: a new category for a visit the desk placed today; "
        "the desk's counts follow, logged with the rule and the policy version.",
    )
    create_clinic = strawberry.mutation(
        resolver=admin.create_clinic, description="Administrator: a new clinic."
    )
    create_staff_account = strawberry.mutation(
        resolver=admin.create_staff_account,
        description="Administrator: a new account with a temporary password.",
    )
    update_staff_account = strawberry.mutation(
        resolver=admin.update_staff_account,
        description="Administrator: role, display name, active. A new role or deactivation "
        "signs the account out everywhere.",
    )
    reset_staff_password = strawberry.mutation(
        resolver=admin.reset_staff_password,
        description="Administrator: a temporary password the account must change; signs it out.",
    )


def _live(info: Info[Context, None], source: AsyncGenerator[T, None]) -> AsyncGenerator[T, None]:
    """Every subscription: refused at once when the table says so, and ended when the
    caller's session ends (logout, deactivation, a new role or password, expiry)."""
    return guard_subscription(info, while_signed_in(info, source))


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="The journey now, then as of each later event (timers included), in order: "
        "one push per event, none skipped or repeated (`lastEventSeq` counts up by one). Ends "
        "with a NOT_FOUND error for a journey that is unknown or not in your clinic."
    )
    async def journey_changed(
        self,
        info: Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The journey's id.")],
    ) -> AsyncGenerator[Journey, None]:
        async for journey in _live(info, journey_changed(info, id)):
            yield journey

    @strawberry.subscription(
        description="Stuck/unstuck journeys and stage counts, pushed as they change. A "
        "subscriber too far behind gets one RESYNC update instead of the changes it missed. "
        "Ends with a NOT_FOUND error for a clinic not your own."
    )
    async def supervisor_board(
        self,
        info: Info[Context, None],
        clinic_id: Annotated[strawberry.ID, strawberry.argument(description="Your clinic.")],
    ) -> AsyncGenerator[BoardUpdate, None]:
        async for update in _live(info, supervisor_board(info, clinic_id)):
            yield update

    @strawberry.subscription(description="Nudges, escalations and stuck alerts on your journeys.")
    async def my_journey_alerts(
        self, info: Info[Context, None]
    ) -> AsyncGenerator[JourneyAlert, None]:
        async for alert in _live(info, my_journey_alerts(info)):
            yield alert

    @strawberry.subscription(
        description="The triage desk now, then after every change (alerts included), pushed "
        "as it changes; each push is the whole board. Ends with a NOT_FOUND error for a clinic "
        "not your own."
    )
    async def triage_board_changed(
        self,
        info: Info[Context, None],
        clinic_id: Annotated[strawberry.ID, strawberry.argument(description="Your clinic.")],
    ) -> AsyncGenerator[TriageBoard, None]:
        async for board in _live(info, triage_board_changed(info, clinic_id)):
            yield board


# Errors from the limiters and from parsing/validation tell the client what to fix; anything
# raised from inside a resolver is unexpected and masked (it is logged by Strawberry).
def _should_mask(error: GraphQLError) -> bool:
    return error.original_error is not None and not isinstance(error.original_error, GraphQLError)


def extensions(
    introspection: bool = True, audit_trail: bool = True, permissions: bool = True
) -> list[object]:
    """`audit_trail=False`, `permissions=False`: for benchmarks of their cost, never serving."""
    chosen: list[object] = [
        OperationMetrics,  # first: its timing and outcome wrap all the others
        SessionCheck,  # who is asking, checked once per operation before it runs
        # Factories, not instances: Strawberry builds fresh extensions for every operation.
        # Depth, aliases and fields counted with fragments expanded, in time linear in the
        # document (schema.limits); tokens bound the document itself.
        functools.partial(AddValidationRules, [DocumentLimitsRule]),
        functools.partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
        functools.partial(MaskErrors, should_mask_error=_should_mask),
        InputCheck,  # text no column can store is refused before any resolver sees it
        # SPAs send the same few documents over and over: parse and validate each once.
        functools.partial(ParserCache, maxsize=256),
        functools.partial(ValidationCache, maxsize=256),
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
    if not introspection:
        from graphql.validation import NoSchemaIntrospectionCustomRule

        chosen.append(functools.partial(AddValidationRules, [NoSchemaIntrospectionCustomRule]))
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
        operation = getattr(execution_context, "operation_name", None) or "(unnamed)"
        for error in reported:
            if not _should_mask(error):
                log.info("operation %s refused: %s", operation, error.message)
        super().process_errors(faults, execution_context)


def build_schema(
    introspection: bool = True, audit_trail: bool = True, permissions: bool = True
) -> strawberry.Schema:
    """`audit_trail=False` and `permissions=False` are for benchmarks that measure what the
    trail and the permission checks cost, never for serving."""
    return GlowpathSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions(introspection, audit_trail, permissions),
        scalar_overrides=SCALAR_OVERRIDES,
    )


schema = build_schema()
