"""Seed 004 三.4: a complex procedure type version, and who may lead, assist and attend it."""

from __future__ import annotations

import dataclasses

from domain.procedures.complex_lead import lead_refusal, title_problem
from domain.procedures.template import ProcedureContent, check_content, content_hash
from domain.roles import Role
from server.procedure_seeds import BLEPHAROPLASTY


def test_a_version_stored_before_the_mark_is_not_complex() -> None:
    stored = {k: v for k, v in BLEPHAROPLASTY.to_json().items() if k != "complex"}
    assert ProcedureContent.from_json(stored).complex is False
    assert ProcedureContent.from_json({**stored, "complex": "yes"}).complex is False


def test_a_complex_version_keeps_its_mark_and_its_own_hash() -> None:
    marked = dataclasses.replace(BLEPHAROPLASTY, complex=True)
    again = ProcedureContent.from_json(marked.to_json())
    assert again.complex is True
    assert check_content("bleph", again) == []
    assert content_hash("bleph", 1, again) != content_hash("bleph", 1, BLEPHAROPLASTY)


def test_only_a_doctor_holding_a_senior_title_leads_a_complex_procedure() -> None:
    assert lead_refusal(Role.EXPERT, True) is None
    refused = [lead_refusal(role, senior) for role, senior in ((Role.EXPERT, False),)]
    assert refused == [
        "seed 004 三.4: a complex procedure is led by a doctor holding a senior professional "
        "title (高级职称), with an assistant and a nurse: your account holds no senior "
        "professional title"
    ]
    for role in (Role.NURSE, Role.SUPERVISOR, None):
        why = lead_refusal(role, True)
        assert why is not None and "started by the doctor who leads it" in why


def test_only_a_doctor_is_given_a_senior_title_and_anyone_may_lose_one() -> None:
    assert title_problem(Role.EXPERT, True) is None
    assert title_problem(Role.NURSE, True) == "held by a doctor (EXPERT) only"
    assert title_problem(None, True) == "held by a doctor (EXPERT) only"
    assert title_problem(Role.NURSE, False) is None
