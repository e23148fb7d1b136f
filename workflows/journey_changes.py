"""The journey workflow's code changes since runs were first started, and how a run knows which
it follows.

Each change below altered the commands a journey sends, so a run started before it must replay
as it ran. Temporal's way is `workflow.patched(change)`: true in a run that took the change,
which the first asking records as a marker in its history. Asking has a price in every new run:
besides the marker, the SDK upserts the `TemporalChangeVersion` search attribute with the first
marker of each change, a visibility write on the server (measured on the dev server: an update
upserting one attribute cost 17.6 ms of its CPU against 13.8 ms without; four such upserts
fewer saved about 8 ms per journey). A run started by today's code therefore lists every
change here in its start (`JourneyStart.started_with_changes`, the first event of its history)
and follows them without asking; only a run whose start does not list a change asks.

So workers are deployed before API processes (and API processes rolled back before workers): a
worker that does not know a listed change refuses the run's workflow task (`UnknownChange`) and
leaves it to one that does. Workers from before this list existed cannot refuse: they would run
such a run the old way, with markers, and today's workers could not replay it.
"""

from __future__ import annotations

# A local activity's last failure arrives as the activity's own error (an ApplicationError, or
# a TimeoutError), not as an ActivityError: before this patch it escaped, failing the update
# whose change was already committed (every retry of the same update id then answered that
# failure) or, for the opening event, the whole journey.
DEFER_ANY_WRITE_FAILURE = "defer-any-read-model-write-failure"
# A staff action can arrive in the same workflow task as a follow-up's timer, and its validator
# runs before the timer's work. That happens when a worker died after writing the falling due to
# the read model but before reporting its task: staff saw the follow-up due and acted, and the
# next worker got the timer and the action together. Before this patch the action was judged,
# and applied, as if the follow-up were not due yet; now the follow-ups that the clock has made
# due fall due first, as they did in the lost task.
FALL_DUE_BEFORE_STAFF_ACTION = "fall-due-before-staff-action"
# Before this patch every change upserted the search attributes, even when none of their values
# had moved (most actions stay in their stage): a command, and a visibility write on the
# server, on every step. Now only a change of value is upserted.
UPSERT_CHANGED_SEARCH_ATTRIBUTES = "upsert-changed-search-attributes-only"
# Before this patch the journey waited for its next moment with a timer of its own per wait, so
# every step cancelled a timer and started another. Now one timer is kept running while it
# fires no later than the next moment (`WakeTimer`).
KEEP_RUNNING_TIMER = "keep-running-timer"
# Before this patch a journey ran in one run to its end, whatever Temporal advised: at 2,000
# updates the server refused every further staff action. Now a run continues as new when
# advised (`journey_runs`). Asked only once the advice is given, so a run that was never
# advised replays as it ran.
CONTINUE_AS_NEW_WHEN_ADVISED = "continue-as-new-when-advised"
# Before this patch a payment without a bill could pay any amount, again and again (a plan of
# 1,200 paid 4,800), and payments sent at once all passed. Now the journey, under its lock too,
# refuses one that pays more than it still owes (`domain.journey.validation`).
PAYMENTS_WITHIN_WHAT_IS_OWED = "payments-within-what-is-owed"
# Before this patch two first payments of a bill sent at once (a deposit and an installment
# plan) both passed the API's check of the bill and the journey took both. Now the journey, under
# its lock too, refuses a full payment, deposit or plan once something is paid
# (`domain.journey.validation.check_first_payment`).
FIRST_PAYMENT_ONCE = "first-payment-once"

# Before this patch withdrawing any consent before the treatment declined the journey, photos
# and data processing too (a photo consent withdrawn at payment ended a paid journey). Now only
# a consent the treatment needs does; asked only for a withdrawal of another kind.
OPTIONAL_WITHDRAWAL_GOES_ON = "optional-consent-withdrawal-goes-on"

# Before this patch a due follow-up call made its journey stuck a day past its due time, while
# the task lists counted a call of the first day overdue once 24 hours after the treatment were
# over (seed 002 §5.2: the 24 h call as it fell due, a day before its journey was stuck). Now the
# journey's deadline follows the same windows (`domain.journey.sla`). Asked in the follow-up
# stage only, as a step is taken, and kept in the journey's facts, whose read model judges alike.
FOLLOW_UP_CALL_WINDOWS = "follow-up-stuck-by-call-windows"

# Before this patch a call with no handbook window made its journey stuck a day past its due
# time, while the task lists counted it overdue by the clinic's own allowance (6 hours: the
# lists a day ahead of the supervisor's). Now the handover carries the clinic's allowance, read
# by the API, and the journey keeps it (`domain.journey.sla`). Asked only for a handover that
# carries it: one an API of this release sent to a worker of the release before was taken
# without it, and replays so.
FOLLOW_UP_CLINIC_ALLOWANCE = "follow-up-stuck-by-clinic-allowance"

# The changes that brought a payment's checks under the journey's lock, in the order of their
# checks (`domain.journey.validation.PAYMENT_CHECKS`).
PAYMENT_CHANGES = (PAYMENTS_WITHIN_WHAT_IS_OWED, FIRST_PAYMENT_ONCE)

# What the workflow client starts every run with. A new change joins this list: runs started
# before it do not list it, so they ask `workflow.patched`. A name, once listed, never changes:
# it is in the histories of the runs that listed it.
CURRENT_CHANGES = (
    DEFER_ANY_WRITE_FAILURE,
    FALL_DUE_BEFORE_STAFF_ACTION,
    UPSERT_CHANGED_SEARCH_ATTRIBUTES,
    KEEP_RUNNING_TIMER,
    CONTINUE_AS_NEW_WHEN_ADVISED,
    PAYMENTS_WITHIN_WHAT_IS_OWED,
    OPTIONAL_WITHDRAWAL_GOES_ON,
    FIRST_PAYMENT_ONCE,
    FOLLOW_UP_CALL_WINDOWS,
    FOLLOW_UP_CLINIC_ALLOWANCE,
)


class UnknownChange(RuntimeError):
    """A run lists a change this worker's code does not know: it was started by a newer API.
    Raised inside the workflow, it fails the workflow task, which Temporal retries until a
    worker that knows the change takes it. Running it here would take the old ways without
    their markers, and no worker could replay that history."""


def check_known(listed: list[str]) -> None:
    unknown = sorted(set(listed) - set(CURRENT_CHANGES))
    if unknown:
        raise UnknownChange(f"started with changes this worker does not know: {unknown}")
