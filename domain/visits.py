"""The visit category from the client's records (seed 004): "records found -> not first visit"."""

from __future__ import annotations

from dataclasses import dataclass

from domain.journey.stages import VisitCategory


@dataclass(frozen=True)
class ClientHistory:
    journeys: int
    consulted: int
    treated: int


@dataclass(frozen=True)
class CategoryDecision:
    category: VisitCategory
    reason: str


@dataclass(frozen=True)
class Newcomer:
    """What the records tell of a client with no earlier one before a first visit is counted:
    seed 004 registers "60岁以上顾客" as other. (Its "18岁及以下无家长陪同" is the front desk's to
    see: who came with the client is on no record, so the desk marks it `other`.)"""

    senior: bool = False


def categorise(
    history: ClientHistory,
    *,
    wants_recheck: bool,
    other: bool,
    new_questions: bool = False,
    newcomer: Newcomer = Newcomer(),
) -> CategoryDecision:
    if other:
        return CategoryDecision(VisitCategory.OTHER, "marked as other by the front desk")
    if history.journeys == 0:
        return _first_visit(newcomer)
    if history.treated and wants_recheck and new_questions:
        # Seed 004: "若客人复查时还有项目需要咨询的,则登记为再消费,仍由首诊医生接待".
        return CategoryDecision(
            VisitCategory.REPEAT_PURCHASE, "recheck with new questions: a repeat purchase"
        )
    if history.treated and wants_recheck:
        return CategoryDecision(VisitCategory.RECHECK, "treated before, comes for a recheck")
    if history.treated:
        return CategoryDecision(VisitCategory.REPEAT_PURCHASE, "bought before, comes for more")
    if history.consulted:
        return CategoryDecision(VisitCategory.RETURN_VISIT, "consulted before, never bought")
    return CategoryDecision(VisitCategory.RETURN_VISIT, "earlier visit on record, never bought")


def _first_visit(newcomer: Newcomer) -> CategoryDecision:
    """Only a would-be first visit: a client with records goes to their owner at any age
    (first-consultant ownership), where "other" would only change who receives them."""
    if newcomer.senior:
        return CategoryDecision(VisitCategory.OTHER, "aged 60 or over: category other")
    return CategoryDecision(VisitCategory.FIRST_VISIT, "no earlier record")
