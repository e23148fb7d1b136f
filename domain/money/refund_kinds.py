"""What money given back means for the bill it came from (`recordRefund`'s `kind`).

A payment undone (a card charged in error, a correction) leaves the bill owing what it paid:
the installment it paid is owed again. Money given back as goodwill (a satisfied client
compensated, a complaint settled) is the clinic lowering its price after the treatment: the
bill no longer asks for it, so it lowers what is owed as much as what is held
(`domain.money.standing`), and no installment falls late for it.
"""

from __future__ import annotations

from enum import Enum


class RefundKind(str, Enum):
    REVERSAL = "REVERSAL"
    GOODWILL = "GOODWILL"


# A refund recorded without a kind (every one before kinds existed, and a client that does
# not send one) undoes its payment, as it always did.
DEFAULT_REFUND_KIND = RefundKind.REVERSAL
