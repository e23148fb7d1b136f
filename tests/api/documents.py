"""The GraphQL documents the API suite sends, written as a client application would write them."""

from __future__ import annotations

JOURNEY_FIELDS = """
fragment JourneyFields on Journey {
  id
  stage
  outcome
  visitCategory
  consultant { id username role }
  history { seq action fromStage toStage actorId actorRole summary }
  followUps { id label status attempts dueAt }
}
"""

RESULT_FIELDS = """
fragment ResultFields on JourneyResult {
  __typename
  ... on JourneyPayload { journey { ...JourneyFields } }
  ... on UserError { code message }
  ... on TransitionNotAllowed { stage allowedActions }
  ... on ValidationFailed { problems { field message } }
}
"""


def action(field: str, input_type: str) -> str:
    """A journey mutation taking one `input` and answering with the JourneyResult union."""
    return (
        f"mutation Act($input: {input_type}!) {{ {field}(input: $input) {{ ...ResultFields }} }}"
        + RESULT_FIELDS
        + JOURNEY_FIELDS
    )


LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) {
    __typename
    ... on LoginPayload { token expiresAt staff { id username role } }
    ... on UserError { code message }
  }
}
"""

ME = """
query Me {
  me {
    __typename
    ... on StaffMember { id username role }
    ... on UserError { code message }
  }
}
"""

REGISTER_CLIENT = """
mutation Register($input: RegisterClientInput!) {
  registerClient(input: $input) {
    __typename
    ... on ClientPayload { client { id fullName } }
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
  }
}
"""

JOURNEY = (
    """
query Journey($id: ID!) {
  journey(id: $id) {
    __typename
    ...JourneyFields
    # How the calls went: the care team's to read (the suite reads journeys as a supervisor).
    ... on Journey { followUps { id outcome satisfaction } }
    ... on UserError { code message }
  }
}
"""
    + JOURNEY_FIELDS
)

JOURNEYS = """
query Journeys($filter: JourneyFilter, $first: Int! = 20, $after: String) {
  journeys(filter: $filter, first: $first, after: $after) {
    __typename
    ... on JourneyConnection {
      edges { cursor node { id stage } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
  }
}
"""

NODE = """
query Node($id: ID!) {
  node(id: $id) { __typename id }
}
"""

JOURNEY_CHANGED = (
    """
subscription Changed($id: ID!) {
  journeyChanged(id: $id) { ...JourneyFields }
}
"""
    + JOURNEY_FIELDS
)

START_JOURNEY = action("startJourney", "StartJourneyInput")
CHECK_IN = action("checkIn", "JourneyStepInput")
MARK_NO_SHOW = action("markNoShow", "JourneyStepInput")
ASSIGN_CONSULTANT = action("assignConsultant", "AssignConsultantInput")
RECORD_CONSULTATION = action("recordConsultation", "RecordConsultationInput")
REQUEST_EXPERT_REVIEW = action("requestExpertReview", "RequestExpertReviewInput")
COMPLETE_EXPERT_REVIEW = action("completeExpertReview", "CompleteExpertReviewInput")
SIGN_CONSENT = action("signConsent", "SignConsentInput")
RECORD_PAYMENT = action("recordPayment", "RecordPaymentInput")
START_TREATMENT = action("startTreatment", "StartTreatmentInput")
COMPLETE_TREATMENT = action("completeTreatment", "CompleteTreatmentInput")
HAND_OVER = action("handOver", "HandOverInput")
COMPLETE_FOLLOW_UP = action("completeFollowUp", "CompleteFollowUpInput")
CANCEL_JOURNEY = action("cancelJourney", "CancelJourneyInput")
REASSIGN_JOURNEY = action("reassignJourney", "ReassignJourneyInput")
