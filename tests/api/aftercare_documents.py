"""The after-care documents: task lists, complications, the survey, warranties."""

from __future__ import annotations

TASK_FIELDS = """
fragment TaskFields on FollowUpTask {
  id kind status journeyId followUpId label dueAt overdue attempts escalated
  assigneeRole assigneeId linkedJourneyId questions purpose
}
"""

MY_TASKS = (
    """
query MyTasks($due: Boolean, $overdue: Boolean) {
  myTasks(due: $due, overdue: $overdue) {
    __typename
    ... on FollowUpTaskConnection { edges { node { ...TaskFields } } }
    ... on UserError { code message }
  }
}
"""
    + TASK_FIELDS
)

LINKED = "id stage visitCategory linkedJourneyId consultant { id }"

REPORT_COMPLICATION = f"""
mutation Report($input: ReportComplicationInput!) {{
  reportComplication(input: $input) {{
    __typename
    ... on ComplicationReported {{
      journey {{ id stage followUps {{ id status }} }}
      recheckJourney {{ {LINKED} }}
    }}
    ... on UserError {{ code message }}
  }}
}}
"""

RECORD_SURVEY = """
mutation Survey($input: RecordSurveyInput!) {
  recordSurvey(input: $input) {
    __typename
    ... on SurveyRecorded { alerted survey { id impression quality lowScores comment } }
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
  }
}
"""

SURVEY_RESULTS = """
query Results($clinicId: ID!, $month: String!) {
  surveyResults(clinicId: $clinicId, month: $month) {
    __typename
    ... on SurveyResults {
      overall { responses impression trustInDoctor lowResponses }
      byDoctor { key averages { responses quality } }
      byProcedureType { key averages { responses } }
    }
    ... on UserError { code message }
  }
}
"""

WARRANTY_OF = """
query Warranty($id: ID!) {
  journey(id: $id) { ... on Journey { warrantyCard { number endsAt terms } } }
}
"""

CLAIM_WARRANTY = f"""
mutation Claim($input: ClaimWarrantyInput!) {{
  claimWarranty(input: $input) {{
    __typename
    ... on WarrantyClaimed {{ claimId card {{ number }} recheckJourney {{ {LINKED} }} }}
    ... on WarrantyExpired {{ code message endedOn }}
    ... on UserError {{ code message }}
  }}
}}
"""

OVERDUE_COUNT = """
query Stats($clinicId: ID!) {
  journeyStats(clinicId: $clinicId) { ... on JourneyStats { overdueTasks } }
}
"""

TASKS_CHANGED = (
    """
subscription Tasks { tasksChanged { change task { ...TaskFields } } }
"""
    + TASK_FIELDS
)

SET_POLICY = """
mutation Policy($input: SetAftercarePolicyInput!) {
  setAftercarePolicy(input: $input) {
    __typename
    ... on AftercarePolicyPayload { policy { followUpAssignee overdueAfterHours warrantyDays } }
    ... on UserError { code message }
  }
}
"""

COMPLETE_TASK = """
mutation Complete($input: CompleteTaskInput!) {
  completeTask(input: $input) {
    __typename
    ... on TaskCompleted { closedAt task { id kind status overdue } }
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
  }
}
"""
