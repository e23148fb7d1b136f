"""Indexes for reads that scanned a whole table, every clinic's rows, to find a few.

Each read below filtered on a column no index led with, so SQLite and PostgreSQL read the whole
table (EXPLAIN: `SCAN journey`, `Seq Scan on bill_line`); at 10 clinics of 5,000 journeys a
bill's lines took 37 ms on SQLite and a record's corrections 53 ms, growing with every clinic.

- `client (clinic_id, created_at, id)`: `clients`' pages and search, in the keyset's order;
- `journey (client_id, active)`: a client's journeys (`startJourney`'s check for an active one,
  the visit category, the file export);
- `journey_record (amends_id)`: a record's corrections (every read of a corrected plan);
- `bill_line (bill_id, position)`: a bill's lines;
- `payment (clinic_id, recorded_at)`, `refund (clinic_id, recorded_at)`: a month's money for
  the reports; `refund (payment_id)`, `refund (bill_id)`, `refund (journey_id)`: a payment's,
  a bill's and a journey's refunds;
- `follow_up_task (linked_journey_id)`: the task a recheck settles when it ends;
- `photo (journey_id)`, `consent_signature (journey_id)`: a journey's photos and signatures.
"""

from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

_INDEXES = (
    ("Client", ["clinic_id", "created_at", "id"]),
    ("Journey", ["client_id", "active"]),
    ("JourneyRecord", ["amends_id"]),
    ("BillLine", ["bill_id", "position"]),
    ("Payment", ["clinic_id", "recorded_at"]),
    ("Refund", ["clinic_id", "recorded_at"]),
    ("Refund", ["payment_id"]),
    ("Refund", ["bill_id"]),
    ("Refund", ["journey_id"]),
    ("FollowUpTask", ["linked_journey_id"]),
    ("Photo", ["journey_id"]),
    ("ConsentSignature", ["journey_id"]),
)


class Migration(migrations.Migration):
    dependencies = [("models", "0036_consent_withdrawal_after_journey")]

    initial = False

    operations = [
        ops.AddIndex(model_name=model, index=Index(fields=columns)) for model, columns in _INDEXES
    ]
