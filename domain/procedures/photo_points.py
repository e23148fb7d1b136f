"""When a photo point named for one of seed 003's moments is due: at that moment.

Seed 003 takes an operation's photos "术前一张,术后拆线一张,三个月后一张,一年后再照一张" (one
before, one at the suture removal, one three months after, one a year after). A point whose
code names the photo before is due on the day of the treatment; one named for three months or a
year is due on the days the follow-up labels call so (`domain.journey.followups.label_for`:
"3m" is 77 to 106 days, "1y" 365 or 366). A reminder named for a moment and due at another was
taken as that moment's photo, the comparison with the photo before made at the wrong time. The
suture removal's day is the operation's, and the photo after is taken on any day: their points
are due whenever the type says, as is a point of the clinic's own code.
"""

from __future__ import annotations

from domain.photos.purposes import PhotoStage

# The days after the treatment a point named for the stage may be due on, and how to say them.
DUE_DAYS: dict[PhotoStage, tuple[range, str]] = {
    PhotoStage.BEFORE: (range(0, 1), "on the day of the treatment (0)"),
    PhotoStage.THREE_MONTHS: (range(77, 107), "three months after the treatment (77 to 106)"),
    PhotoStage.ONE_YEAR: (range(365, 367), "a year after the treatment (365 or 366)"),
}


def due_problem(stage: PhotoStage | None, offset_days: int) -> str | None:
    """Why a point named for `stage` may not be due `offset_days` after the treatment; None: it
    may."""
    if stage not in DUE_DAYS:
        return None
    days, when = DUE_DAYS[stage]
    if offset_days in days:
        return None
    return f"the {stage.value} photo is due {when}"
