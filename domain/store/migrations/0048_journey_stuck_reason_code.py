"""Each journey row keeps the code of the rule that marked it stuck (`journey.stuck_reason_code`,
`domain.journey.stuck_reasons.StuckReason`) beside its words, so `stuckJourneys` filters by the
code in the database and a rule reworded later does not change what a journey reads as.

Nullable and not filled: a journey marked stuck before keeps its words alone, and reads and
filters by them (`domain.journey.stuck_words`, `domain.store.stuck_codes`); its workflow writes
the code with its next step. A process of the release before, in a rolling deploy, writes its
rows without the column, which stays null on the rows it marks stuck. Rolled back, the column
is dropped in place (`store.column_default`: a rebuilt table would lose the indexes other
migrations made).
"""

from tortoise import fields, migrations

from domain.store.column_default import AddNullableField


class Migration(migrations.Migration):
    dependencies = [("models", "0047_staff_senior_title")]

    initial = False

    operations = [
        AddNullableField(
            model_name="Journey",
            name="stuck_reason_code",
            field=fields.CharField(max_length=40, null=True),
        ),
    ]
