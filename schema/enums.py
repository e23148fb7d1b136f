"""Domain enums, exposed to GraphQL under the same names."""

from __future__ import annotations

import strawberry

from domain import errors, roles
from domain.journey import stages, stuck_reasons, table
from domain.triage import decision

ErrorCode = strawberry.enum(errors.ErrorCode)
FieldProblemCode = strawberry.enum(errors.FieldProblemCode)
Role = strawberry.enum(roles.Role, name="Role")
JourneyStage = strawberry.enum(stages.Stage, name="JourneyStage")
VisitCategory = strawberry.enum(stages.VisitCategory)
ArrivalChannel = strawberry.enum(stages.ArrivalChannel)
ArrivalPurpose = strawberry.enum(decision.ArrivalPurpose)
EmergencyReason = strawberry.enum(decision.EmergencyReason)
ConsentKind = strawberry.enum(stages.ConsentKind)
PaymentKind = strawberry.enum(stages.PaymentKind)
PaymentMethod = strawberry.enum(stages.PaymentMethod)
ExpertDecision = strawberry.enum(stages.ExpertDecision)
FollowUpStatus = strawberry.enum(stages.FollowUpStatus)
FollowUpOutcome = strawberry.enum(stages.FollowUpOutcome)
JourneyAction = strawberry.enum(table.Action, name="JourneyAction")
StuckReason = strawberry.enum(stuck_reasons.StuckReason)
