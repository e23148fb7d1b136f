"""The prescription a client leaves with after an operation.

Seed 003's operating-room flow: the doctor gives the post-operative orders, and "客人...出院之前
医助要开好术后处方用药" (before she leaves, the doctor's assistant has written her post-operative
prescription). A surgery's handover therefore names what she takes home, or says why nothing;
other treatments may name a prescription and need not. Each medicine says its dose, how often
and for how many days, as she reads it on her leaflet. Pure: no I/O.
"""

from __future__ import annotations

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.procedures.template import ProcedureCategory

# The categories whose handover names the prescription (or why there is none).
PRESCRIBED_AT_DISCHARGE = frozenset({ProcedureCategory.SURGERY})
# Medicines on one handover: an operation's discharge list is a handful; the bound keeps the
# record, the leaflet and the copy of her file small.
MAX_PRESCRIPTIONS = 20
# A course longer than three months is a treatment of its own, not a discharge prescription.
MAX_DAYS = 90


def prescription_problem(
    field: str, category: ProcedureCategory | None, prescribed: int, reason_given: bool
) -> FieldProblem | None:
    """Why the handover's prescriptions (`field`) will not do; None when they will.
    `prescribed`: how many medicines it names; `reason_given`: whether it says why there are
    none."""
    if prescribed and reason_given:
        both = "name the medicines or say why there are none, not both"
        return FieldProblem(field, both, Code.INCONSISTENT)
    if category in PRESCRIBED_AT_DISCHARGE and not prescribed and not reason_given:
        neither = "a surgery's handover names the medicines she takes home, or why there are none"
        return FieldProblem(field, neither, Code.REQUIRED)
    return None
