"""The Query root: every read, each resolved in its area's module."""

from __future__ import annotations

import strawberry

from schema.aftercare import policy as aftercare_policy
from schema.aftercare import survey as aftercare_survey
from schema.aftercare import tasks as aftercare_tasks
from schema.audit import queries as audit_queries
from schema.catalog import api as catalog_api
from schema.clients import custodian as records_custodian
from schema.clients import disclosures as file_disclosures
from schema.clients import queries as client_queries
from schema.consents import documents as consent_documents
from schema.consents import template_list
from schema.journeys import consultation_copy
from schema.journeys import queries as journey_queries
from schema.node import node
from schema.roots.complaints import ComplaintQueries
from schema.roots.money import MoneyQuery
from schema.roots.partners import PartnerQueries
from schema.roots.procedures import ProcedureQueries
from schema.staff.permissions import Permissions, my_permissions
from schema.staff.queries import MeResult, me
from schema.supervision import queries as supervision_queries
from schema.supervision import slas
from schema.supervision import ward_tasks as supervision_ward_tasks
from schema.triage import key_items as triage_key_items
from schema.triage import queries as triage_queries


@strawberry.type
class Query(ProcedureQueries, MoneyQuery, PartnerQueries, ComplaintQueries):
    node = strawberry.field(resolver=node, description="Any object by its global id, or null.")
    me: MeResult = strawberry.field(resolver=me)
    my_permissions: Permissions = strawberry.field(
        resolver=my_permissions,
        description="What you may read and call, so the SPA can hide the rest.",
    )
    journey = strawberry.field(resolver=journey_queries.journey)
    journeys = strawberry.field(resolver=journey_queries.journeys)
    client_consultation_record = strawberry.field(
        resolver=consultation_copy.client_consultation_record,
        description="The written record of the journey's consultation the client takes home "
        "(HTML and PDF) in pl, ru, zh or en: her needs and each plan proposed, with its risks, "
        "recovery and price, as corrected. NotFound before a consultation was recorded. Printed "
        "for those who read the consultation's record, as it reads to them (a nurse's print "
        "leaves out the prices).",
    )
    client = strawberry.field(resolver=client_queries.client)
    clients = strawberry.field(resolver=client_queries.clients)
    consent_templates = strawberry.field(
        resolver=template_list.consent_templates,
        description="Your clinic's consent template versions, by template, newest first.",
    )
    consent_document = strawberry.field(
        resolver=consent_documents.consent_document,
        description="A signed consent: the text exactly as signed, and whether its hash "
        "still matches the one recorded at signing.",
    )
    catalog = strawberry.field(resolver=catalog_api.catalog)
    stuck_journeys = strawberry.field(
        resolver=supervision_queries.stuck_journeys,
        description="Ordered by how long over. To keep it live, subscribe to "
        "`supervisorBoard(announceStart: true)` and read it once that says STARTED: every "
        "journey stuck or unstuck after this read is pushed.",
    )
    journey_stats = strawberry.field(resolver=supervision_queries.journey_stats)
    overdue_ward_tasks = strawberry.field(
        resolver=supervision_ward_tasks.overdue_ward_tasks,
        description="Supervisors: the ward's tasks after an operation that are overdue by "
        "their own schedule (`journeyStats.overdueWardTasks` counts them), earliest due first: "
        "a reading of the vital signs not taken within half an hour of its hour, the next "
        "day's round once that day has ended. Each names its journey, kind, label, due time "
        "and assignee (the doctor for a round; null for a reading, any nurse's). One leaves "
        "the list when a record settles it or it is closed (`completeTask`).",
    )
    stage_slas = strawberry.field(resolver=slas.stage_slas, description="Your clinic's SLAs.")
    triage_board = strawberry.field(resolver=triage_queries.triage_board)
    triage_log = strawberry.field(resolver=triage_queries.triage_log)
    key_item_ranking = strawberry.field(resolver=triage_key_items.key_item_ranking)
    my_tasks = strawberry.field(
        resolver=aftercare_tasks.my_tasks,
        description="Your open tasks (follow-up calls, complications, low survey scores), "
        "earliest due first. Pages are keyed on (due time, id), and a task's due time moves (a "
        "missed call's back-off, a corrected recheck booking): a task moved later after its "
        "page was read comes again on a later page, by the same `id` (keep one entry per id, "
        "as it was read last); one moved earlier, behind `after`, is on no later page. "
        "Subscribe to `tasksChanged(announceStart: true)` and read the first page once it "
        "pushes STARTED: it pushes each task added to your list, moved or done (with its new "
        "due time) and each that left it, so pages and pushes merged by id miss none.",
    )
    aftercare_policy = strawberry.field(
        resolver=aftercare_policy.aftercare_policy,
        description="Your clinic's after-care setting (defaults until a supervisor sets it).",
    )
    survey_results = strawberry.field(
        resolver=aftercare_survey.survey_results,
        description="Supervisors: a month of phone surveys, per clinic, doctor and procedure type; "
        "each journey's first survey only.",
    )
    audit_log = strawberry.field(
        resolver=audit_queries.audit_log,
        description="Supervisors: who read or changed a client's data, newest first.",
    )
    file_disclosures = strawberry.field(
        resolver=file_disclosures.file_disclosures,
        description="Supervisors: to whom outside the clinic parts of a client's file were "
        "given (`recordFileDisclosure`), newest first.",
    )
    records_custodian = strawberry.field(
        resolver=records_custodian.records_custodian,
        description="Your clinic's records custodian (`setRecordsCustodian`), or none.",
    )
