"""Rows of the permission table: errors, signing in, staff, paging, the audit trail and
administration."""

from __future__ import annotations

from domain.permissions.audiences import (
    ADMINS,
    ANYONE,
    ERROR_TYPES,
    SIGNED_IN,
    SUPERVISORS,
    TITLE_SETTERS,
    Audience,
    rows,
)

CORE_TYPES: dict[str, dict[str, Audience]] = {
    **{name: rows(ANYONE, "code message") for name in ERROR_TYPES},
    "TransitionNotAllowed": rows(ANYONE, "code message stage allowedActions"),
    "ValidationFailed": rows(ANYONE, "code message problems"),
    "TooManyAttempts": rows(ANYONE, "code message retryAfterSeconds"),
    "Unavailable": rows(ANYONE, "code message retryAfterSeconds"),
    "FieldProblem": rows(ANYONE, "field message code"),
    "Permissions": rows(ANYONE, "role operations readableFields"),
    "LoginPayload": rows(ANYONE, "token expiresAt staff"),
    "LogoutPayload": rows(ANYONE, "everywhere signedOutAt"),
    "ChangePasswordPayload": rows(ANYONE, "changedAt"),
    # Reached through `login` (not yet signed in), `me` and other signed-in reads.
    "StaffMember": rows(ANYONE, "id username displayName seniorTitle role clinicId"),
    "PageInfo": rows(SIGNED_IN, "hasNextPage hasPreviousPage startCursor endCursor"),
    # The audit trail: who read or changed a client's data. Supervisors audit.
    "AuditEntry": rows(
        SUPERVISORS,
        "id seq at actorId actorRole clientId action requestId prevHash hash actor",
    ),
    "AuditLogEdge": rows(SUPERVISORS, "cursor node"),
    "AuditLogConnection": rows(SUPERVISORS, "edges pageInfo"),
    # Administration.
    "Clinic": rows(ADMINS, "id name timezone"),
    "ClinicPayload": rows(ADMINS, "clinic"),
    "StaffAccountPayload": rows(ADMINS, "staff active mustChangePassword"),
    "SeniorTitlePayload": rows(TITLE_SETTERS, "staff"),
}
