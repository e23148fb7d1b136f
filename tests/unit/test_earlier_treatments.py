"""What a consultation says of her earlier treatments: named, none, or (recorded before it was
asked) not asked; and the answer a consultation must give, one way and not both."""

from __future__ import annotations

from domain.journey.earlier_treatments import (
    MAX_EARLIER_TREATMENTS,
    EarlierTreatmentsAnswer,
    answer_of,
    said_problems,
    with_answer,
)

BOTOX = {"what": "botox", "when": "2023", "effect": "four months"}


def test_a_consultation_names_them_or_says_none_never_neither_nor_both() -> None:
    fields = ("needs.earlierTreatments", "needs.noEarlierTreatments")
    assert said_problems(*fields, 1, False) == []
    assert said_problems(*fields, 0, True) == []
    assert [p.field for p in said_problems(*fields, 0, False)] == ["needs.earlierTreatments"]
    assert [p.field for p in said_problems(*fields, 2, True)] == ["needs.noEarlierTreatments"]
    too_many = said_problems(*fields, MAX_EARLIER_TREATMENTS + 1, False)
    assert [p.field for p in too_many] == ["needs.earlierTreatments"]


def test_a_record_without_the_flag_reads_as_not_asked() -> None:
    named = {"earlier_treatments": [BOTOX], "no_earlier_treatments": False}
    none = {"earlier_treatments": None, "no_earlier_treatments": True}
    older = {"goal": "look rested", "earlier_treatments": "a peel in 2022"}
    assert answer_of(named) is EarlierTreatmentsAnswer.LISTED
    assert answer_of(none) is EarlierTreatmentsAnswer.NONE
    assert answer_of(older) is EarlierTreatmentsAnswer.NOT_ASKED
    assert answer_of(None) is EarlierTreatmentsAnswer.NOT_ASKED
    assert with_answer(older) == {**older, "no_earlier_treatments": None}
    assert with_answer(named) == named and with_answer(none) == none
    assert with_answer(None) is None
