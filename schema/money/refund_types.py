"""What `recordRefund` takes and answers: its input, its payload and the union of its refusals."""

from __future__ import annotations

from typing import Annotated, ClassVar

import strawberry

from domain.money.refund_kinds import RefundKind
from domain.store.refund_writes import MAX_REFUNDS_PER_PAYMENT
from schema import idempotency
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    TransitionNotAllowed,
    Unavailable,
    ValidationFailed,
)
from schema.journeys.types import Journey
from schema.money.bill_types import Refund
from schema.money.types import MoneyInput


@strawberry.input(description="Money given back against one payment.")
class RecordRefundInput:
    payment_id: strawberry.ID = strawberry.field(
        description=f"The payment (`Payment.id`); one given back {MAX_REFUNDS_PER_PAYMENT} "
        "times already takes no more (`ValidationFailed` on `paymentId`)."
    )
    amount: MoneyInput = strawberry.field(
        description="In the payment's currency; at most what the payment has left. A payment "
        "without a bill is given back to two decimal places at most, as it was taken."
    )
    reason: str = strawberry.field(description="Why (at most 500 characters).")
    kind: RefundKind | None = strawberry.field(
        default=None,
        description="What the money given back means for the bill: REVERSAL undoes the "
        "payment, and an installment it paid is owed again (before the treatment a correction: "
        "the journey goes on); WITHDRAWAL, only before the treatment (else `ValidationFailed` "
        "on `kind`), is the client withdrawing, part of what was paid given back or all of it, "
        "and ends the journey as REFUNDED; GOODWILL, only once the treatment began (else "
        "`ValidationFailed` on `kind`), is not asked for again (`Bill.outstanding` does not "
        "rise, no installment falls late for it). None: WITHDRAWAL before the treatment, "
        "REVERSAL after it. Part of what the key stands for: the same key with another kind "
        "is a `Conflict`.",
    )
    idempotency_key: str | None = idempotency.key_field()
    # A key claimed before `kind` existed digested a refund without one: sent with none, the
    # digest is as it was then (`domain.idempotency.LEFT_OUT_AT`). Any kind named is part of it,
    # REVERSAL too: before the treatment none means WITHDRAWAL, so the two are other requests.
    digest_leaves_out: ClassVar[dict[str, tuple[str | None, ...]]] = {"kind": (None,)}


@strawberry.type(description="The refund entry and the journey after it.")
class RefundPayload:
    refund: Refund = strawberry.field(description="The new entry; the payment is unchanged.")
    journey: Journey = strawberry.field(
        description="REFUNDED when the client withdrew before the treatment; otherwise where it "
        "was (a correction before the treatment, any refund after it)."
    )


RefundResult = Annotated[
    RefundPayload
    | TransitionNotAllowed
    | NotAuthorized
    | ValidationFailed
    | NotFound
    | Conflict
    | Unavailable,
    strawberry.union("RefundResult", description="Given back, or why not."),
]
