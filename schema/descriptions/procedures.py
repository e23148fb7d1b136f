"""The procedure types' enums, in the clinics' words (seed 002 §5, seed 003)."""

from __future__ import annotations

from schema.descriptions.operations import _CODE, _INPUT, _MESSAGE

DESCRIPTIONS = {
    "Mutation.setProcedureType(input)": _INPUT,
    "Mutation.completeChecklistItem(input)": _INPUT,
    "ChecklistIncomplete.code": _CODE,
    "ChecklistIncomplete.message": _MESSAGE,
    "ErrorCode.CHECKLIST_INCOMPLETE": "Pre-treatment checklist items are still open; "
    "`openItems` names them.",
    "ProcedureCategory": "The kind of treatment a procedure type is.",
    "ProcedureCategory.SKIN_CARE": "Skin care (peels, facials).",
    "ProcedureCategory.INJECTABLES": "Injectables (fillers, botulinum toxin, threads).",
    "ProcedureCategory.ENERGY_DEVICES": "Energy devices (laser, radio frequency, ultrasound).",
    "ProcedureCategory.SURGERY": "Surgery: labs, anesthesia assessment, photos and marking "
    "are checked before it.",
    "FollowUpChannel": "How a follow-up reaches the client.",
    "FollowUpChannel.PHONE": "A phone call by follow-up staff.",
    "FollowUpChannel.MESSAGE": "A message (text or messenger).",
    "FollowUpChannel.VISIT": "A visit to the clinic (dressing, suture removal, check).",
    "FollowUpTier": "The follow-up tiers of seed 002 §5.",
    "FollowUpTier.SHORT": "Short term: from within 24 hours to 1 week.",
    "FollowUpTier.MID": "Mid term: up to 1 month.",
    "FollowUpTier.LONG": "Long term: 3 months, 6 months, 1 year.",
}
