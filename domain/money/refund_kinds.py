"""What money given back means for the bill it came from (`recordRefund`'s `kind`).

A payment undone (a card charged in error, a correction) leaves the bill owing what it paid:
the installment it paid is owed again. Money given back as goodwill (a satisfied client
compensated, a complaint settled) is the clinic lowering its price after the treatment: the
bill no longer asks for it, so it lowers what is owed as much as what is held
(`domain.money.standing`), and no installment falls late for it. A client withdrawing before
the treatment (WITHDRAWAL) is given back what the clinic returns, the rest of a deposit kept:
the journey ends, and she owes nothing more. Before the treatment a REVERSAL is a correction of
a payment taken in error, and the journey goes on.
"""

from __future__ import annotations

from enum import Enum


class RefundKind(str, Enum):
    REVERSAL = "REVERSAL"
    GOODWILL = "GOODWILL"
    WITHDRAWAL = "WITHDRAWAL"


# A refund recorded without a kind (every one before kinds existed, and a client that does
# not send one) undoes its payment, as it always did: after the treatment began a REVERSAL,
# before it the client withdrawing (`kind_meant`).
DEFAULT_REFUND_KIND = RefundKind.REVERSAL


def kind_meant(given: RefundKind | None, *, treatment_started: bool) -> RefundKind:
    """The kind a refund is recorded as: the one given, or what one without a kind has always
    meant (before the treatment, the journey ended: the client withdrew)."""
    if given is not None:
        return given
    return DEFAULT_REFUND_KIND if treatment_started else RefundKind.WITHDRAWAL
