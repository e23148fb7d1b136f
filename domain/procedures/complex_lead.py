"""Who leads a complex procedure, and who works beside them (seed 004 三.4: "对于复杂的医疗美容
项目,应由具备高级职称的医生主持,并有相应的助手和护士配合").

A procedure type version is complex when the supervisor who published it said so
(`ProcedureContent.complex`). Its treatment begins (`startTreatment`) with the doctor who leads
it: a doctor (EXPERT) whose account holds a senior professional title, set by an administrator
or a supervisor. The start names an assistant, another active doctor of the clinic, and a
nurse, an active nurse of the clinic; both are kept in the start's record.
"""

from __future__ import annotations

from domain.roles import Role

RULE = (
    "seed 004 三.4: a complex procedure is led by a doctor holding a senior professional title "
    "(高级职称), with an assistant and a nurse"
)
# Who may hold a senior title, lead, assist and attend a complex procedure.
TITLE_HOLDERS = frozenset({Role.EXPERT})
LEADERS = frozenset({Role.EXPERT})
ASSISTANTS = frozenset({Role.EXPERT})
NURSES = frozenset({Role.NURSE})

TITLE_PROBLEM = "held by a doctor (EXPERT) only"
ASSISTANT_PROBLEM = (
    "a complex procedure needs an assistant: an active doctor (EXPERT) of this clinic, not the "
    "leading doctor"
)
NURSE_PROBLEM = "a complex procedure needs a nurse: an active nurse of this clinic"


def title_problem(role: Role | None, senior_title: bool) -> str | None:
    """Why an account may not be given a senior title: only a doctor holds one. Taking one
    away is always allowed (an account whose role changed since keeps none it should not)."""
    if senior_title and role not in TITLE_HOLDERS:
        return TITLE_PROBLEM
    return None


def lead_refusal(role: Role | None, senior_title: bool) -> str | None:
    """Why the caller may not start a complex procedure: not a doctor holding a senior title
    (a nurse who may start another treatment does not lead this one)."""
    if role in LEADERS and senior_title:
        return None
    if role not in LEADERS:
        return f"{RULE}: it is started by the doctor who leads it, not by a {role_name(role)}"
    return f"{RULE}: your account holds no senior professional title"


def role_name(role: Role | None) -> str:
    return role.value.lower().replace("_", " ") if role else "caller without a role"
