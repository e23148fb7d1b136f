"""The procedure types' enums, in the clinics' words (seed 002 §5, seed 003)."""

from __future__ import annotations

from schema.descriptions.operations import _CODE, _INPUT, _MESSAGE

DESCRIPTIONS = {
    "Mutation.setProcedureType(input)": _INPUT,
    "Mutation.completeChecklistItem(input)": _INPUT,
    "ChecklistIncomplete.code": _CODE,
    "ChecklistIncomplete.message": _MESSAGE,
    "SeniorTitleRequired.code": _CODE,
    "SeniorTitleRequired.message": _MESSAGE,
    "ErrorCode.SENIOR_TITLE_REQUIRED": "A complex procedure is started by a doctor holding a "
    "senior professional title (seed 004 三.4); the caller is not one.",
    "ErrorCode.CHECKLIST_INCOMPLETE": "Pre-treatment checklist items are still open; "
    "`openItems` names them.",
    "ProcedureCategory": "The kind of treatment a procedure type is.",
    "ProcedureCategory.SKIN_CARE": "Skin care (peels, facials).",
    "ProcedureCategory.INJECTABLES": "Injectables (fillers, botulinum toxin, threads).",
    "ProcedureCategory.ENERGY_DEVICES": "Energy devices (laser, radio frequency, ultrasound).",
    "ProcedureCategory.SURGERY": "Surgery: labs, anesthesia assessment, photos, marking and "
    "menstruation are checked before it, and what its anaesthesia asks.",
    "ProcedureAnaesthesia": "The anaesthesia a procedure type's treatment is given under "
    "(seed 003: 局麻 / 全麻); the checks its versions list follow from it.",
    "ProcedureAnaesthesia.NONE": "None (never a surgery's).",
    "ProcedureAnaesthesia.LOCAL": "Local anaesthesia (a numbing cream or injection, or an "
    "operation under a local one): a surgery lists `bladder_bowels_emptied`.",
    "ProcedureAnaesthesia.GENERAL": "General anaesthesia, a surgery's only: it lists "
    "`fasting_confirmed` (nothing eaten or drunk within the fasting time the client was given).",
    "FollowUpChannel": "How a follow-up reaches the client.",
    "FollowUpChannel.PHONE": "A phone call by follow-up staff.",
    "FollowUpChannel.MESSAGE": "A message (text or messenger).",
    "FollowUpChannel.VISIT": "A visit to the clinic (dressing, suture removal, check).",
    "FollowUpTier": "The follow-up tiers of seed 002 §5.",
    "FollowUpTier.SHORT": "Short term: from within 24 hours to 1 week.",
    "FollowUpTier.MID": "Mid term: up to 1 month.",
    "FollowUpTier.LONG": "Long term: 3 months, 6 months, 1 year.",
}
