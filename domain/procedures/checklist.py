"""Whether treatment may start: every item of the journey's checklist completed, with a result
where the item needs one (a lab's finding, the anesthesia assessment)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from domain.procedures.template import DAY_CHECKS, ChecklistItem, ProcedureCategory
from domain.roles import Role

# Items only a doctor (the expert role: anesthetists sign in as doctors) may complete: the
# anesthetist assesses the client before anesthesia (seed 002 4.1, seed 003's surgical flow).
DONE_BY: dict[str, frozenset[Role]] = {"anesthesia_assessment": frozenset({Role.EXPERT})}
# Who may be recorded as performing a treatment of each category: a surgery is the surgeon's
# (seed 004: "under a qualified plastic surgeon"; seed 003 names the lead surgeon); the rest a
# doctor's or a nurse's.
PERFORMED_BY: dict[ProcedureCategory, frozenset[Role]] = {
    ProcedureCategory.SKIN_CARE: frozenset({Role.EXPERT, Role.NURSE}),
    ProcedureCategory.INJECTABLES: frozenset({Role.EXPERT, Role.NURSE}),
    ProcedureCategory.ENERGY_DEVICES: frozenset({Role.EXPERT, Role.NURSE}),
    ProcedureCategory.SURGERY: frozenset({Role.EXPERT}),
}
# Who may hand a client over after a treatment of each category (any who treats, unless named
# here): the treating doctor tells the consultant the treatment has ended and assesses its effect
# (seed 002 9.1, "由治疗医生通知咨询师治疗结束,并对治疗效果进行简单评估"), and after an operation
# the doctor gives the post-operative orders (seed 003, "医生/医助下术后医嘱"): a surgery's
# handover is a doctor's.
HANDED_OVER_BY: dict[ProcedureCategory, frozenset[Role]] = {
    ProcedureCategory.SURGERY: frozenset({Role.EXPERT}),
}
# Who may take the client's consent to the procedure itself for a treatment of each category
# (whoever takes consents, unless named here). Before an operation the doctor has the talk and
# takes the signature: "医生在为患者进行医疗美容服务前,应向患者充分告知治疗的适应症、禁忌症、风险和
# 可能的并发症,并取得患者书面同意" (seed 004), "在手术前,医生应对整形方案进行再次确认...医生应向顾客
# 解释手术过程、可能出现的风险及应对措施" (seed 002 3.2), "整形美容术前应与求美者谈话,讲明手术效果及
# 可能出现的并发症...谈话完毕应进行术前签字" (seed 003). Other treatments' consents stay with the
# contact staff who explain them (seed 001, "для контактного персонала").
CONSENTED_BY: dict[ProcedureCategory, frozenset[Role]] = {
    ProcedureCategory.SURGERY: frozenset({Role.EXPERT}),
}
# Items completed by a photo on file, not by a tick: the photo stage of the journey's that must
# have been uploaded first (seed 003's ward preparation and operating room both take the photos,
# "洁面、拍照"; a tick said they were taken while the file held none).
SHOWN_BY_PHOTO: dict[str, str] = {"preop_photos": "BEFORE"}


# Checks made again on the day of the treatment (DOMAIN.md stage 7; seed 002 4.2: the treating
# doctor checks the client and the plan again before treating): one ticked on an earlier day, at
# consent or payment, is open again on the day. Labs and assessments are often done days ahead;
# vital signs and the emptied bladder and bowels (seed 003's ward preparation, "术前准备:更换病服、
# 测量生命体征"; "要求受术者在手术前将大小便解净") say something only on the day of the operation,
# and so do the menstruation and the general anaesthesia's food and water, asked again when the
# operating room receives the client ("手术室接受客人:再次核对...月经...全麻(是否有喝水饮食过等)").
ON_THE_DAY = frozenset(
    (
        *DAY_CHECKS,
        "vital_signs",
        "bladder_bowels_emptied",
        "menstruation_checked",
        "fasting_confirmed",
    )
)


def counts_on(code: str, completed_on: date, treatment_day: date) -> bool:
    """Whether a completion of `code` made on `completed_on` (the clinic's calendar) counts for
    a treatment on `treatment_day`."""
    return code not in ON_THE_DAY or completed_on == treatment_day


def handover_problem(category: ProcedureCategory | None, role: Role) -> str | None:
    """Why staff of `role` may not hand over a treatment of `category`; None when they may."""
    allowed = HANDED_OVER_BY.get(category) if category is not None else None
    if allowed is None or role in allowed:
        return None
    return "a surgery is handed over by a doctor (expert)"


def procedure_consent_problem(category: ProcedureCategory | None, role: Role) -> str | None:
    """Why staff of `role` may not take the procedure consent for a treatment of `category`;
    None when they may."""
    allowed = CONSENTED_BY.get(category) if category is not None else None
    if allowed is None or role in allowed:
        return None
    return "a surgery's consent is taken by a doctor (expert), who explains the operation"


def may_complete(code: str, role: Role) -> bool:
    """Whether staff of `role` may complete the item `code` (anyone who treats, unless the item
    is one of DONE_BY's)."""
    allowed = DONE_BY.get(code)
    return allowed is None or role in allowed


def open_items(checklist: list[ChecklistItem], done: Mapping[str, str | None]) -> list[str]:
    """Codes of the items not completed yet, in the checklist's order. `done` maps each
    completed item's code to its result (None when none was recorded)."""
    return [
        item.code
        for item in checklist
        if item.code not in done or (item.needs_result and not (done[item.code] or "").strip())
    ]


def result_problem(item: ChecklistItem | None, result: str | None) -> str | None:
    """Why a completion cannot be accepted; None when it can."""
    if item is None:
        return "not an item of this journey's checklist"
    if item.needs_result and not (result or "").strip():
        return "this item needs its result"
    return None
