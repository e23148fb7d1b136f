"""The written consultation record the client takes home (seed 003, art. 9 of the consultation
rules: after the consultation the consultant gives the client a written record of it, and tells
her of the risks and of the care after treatment; she may ask about anything unclear).

It is the consultation as amended (`domain.client_file.amended`): her needs in her words (her
earlier treatments, each with when and its effect, or that she has had none; "not asked" on a
record kept before the consultant had to ask), and each plan proposed with its items, effect,
course, price, risks and recovery. The consultant's assessments (her state of mind, her
spending capacity, her physical condition) are the clinic's working judgement and stay off this
page: she reads them in the copy of her file, which is hers by right (GDPR art. 15), not in a
handout printed at the desk.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.client_file.journey_records import Consultation
from domain.journey.earlier_treatments import described
from domain.printed import PrintedPage

HEADINGS: dict[str, dict[str, str]] = {
    "pl": {
        "title": "Zapis konsultacji",
        "dated": "Data konsultacji",
        "consultant": "Konsultant",
        "needs": "Twoje oczekiwania",
        "areas": "Obszary",
        "goal": "Cel",
        "expectation": "Oczekiwany efekt",
        "earlier_treatments": "Wcześniejsze zabiegi",
        "no_earlier_treatments": "brak",
        "earlier_treatments_not_asked": "nie pytano",
        "plan": "Propozycja",
        "items": "Zakres",
        "effect": "Efekt",
        "cycle": "Przebieg",
        "price": "Cena",
        "risks": "Ryzyko",
        "recovery": "Powrót do zdrowia",
        "questions": "Pytania",
        "ask": "Jeśli coś jest niejasne, zapytaj konsultanta albo zadzwoń do kliniki.",
    },
    "ru": {
        "title": "Запись консультации",
        "dated": "Дата консультации",
        "consultant": "Консультант",
        "needs": "Ваши пожелания",
        "areas": "Зоны",
        "goal": "Цель",
        "expectation": "Ожидаемый результат",
        "earlier_treatments": "Предыдущие процедуры",
        "no_earlier_treatments": "не было",
        "earlier_treatments_not_asked": "не уточнялись",
        "plan": "Вариант",
        "items": "Состав",
        "effect": "Эффект",
        "cycle": "Периодичность",
        "price": "Стоимость",
        "risks": "Риски",
        "recovery": "Восстановление",
        "questions": "Вопросы",
        "ask": "Если что-то неясно, спросите консультанта или позвоните в клинику.",
    },
    "zh": {
        "title": "咨询记录",
        "dated": "咨询日期",
        "consultant": "咨询师",
        "needs": "您的需求",
        "areas": "部位",
        "goal": "目标",
        "expectation": "期望效果",
        "earlier_treatments": "既往治疗",
        "no_earlier_treatments": "无",
        "earlier_treatments_not_asked": "未询问",
        "plan": "方案",
        "items": "项目",
        "effect": "效果",
        "cycle": "疗程",
        "price": "价格",
        "risks": "风险",
        "recovery": "恢复",
        "questions": "疑问",
        "ask": "如有不明白的地方,请询问您的咨询师或致电诊所。",
    },
    "en": {
        "title": "Consultation record",
        "dated": "Date of consultation",
        "consultant": "Consultant",
        "needs": "What you asked for",
        "areas": "Areas",
        "goal": "Goal",
        "expectation": "Expected result",
        "earlier_treatments": "Earlier treatments",
        "no_earlier_treatments": "none",
        "earlier_treatments_not_asked": "not asked",
        "plan": "Option",
        "items": "Items",
        "effect": "Effect",
        "cycle": "Course",
        "price": "Price",
        "risks": "Risks",
        "recovery": "Recovery",
        "questions": "Questions",
        "ask": "If anything is unclear, ask your consultant or call the clinic.",
    },
}
NEEDS_LINES = ("goal", "expectation")
PLAN_LINES = ("effect", "cycle", "price", "risks", "recovery")


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _words(value: Any) -> str:
    """A list of the record's words (areas, items) on one line; anything else, none."""
    if not isinstance(value, list):
        return ""
    return ", ".join(item.strip() for item in value if isinstance(item, str) and item.strip())


def _lines(words: Mapping[str, str], pairs: list[tuple[str, str]]) -> str:
    return "\n".join(f"{words[name]}: {text}" for name, text in pairs if text)


def _needs(needs: Any, words: Mapping[str, str]) -> str:
    """Her needs, line by line; none on a record kept without them."""
    if not isinstance(needs, Mapping):
        return ""
    pairs = [("areas", _words(needs.get("areas")))]
    pairs += [(name, _text(needs.get(name))) for name in NEEDS_LINES]
    # Always a line: her earlier treatments, that she has had none, or that she was not asked.
    none, not_asked = words["no_earlier_treatments"], words["earlier_treatments_not_asked"]
    earlier = described(needs, none, not_asked)
    pairs.append(("earlier_treatments", earlier))
    return _lines(words, pairs)


def _plan(plan: Mapping[str, Any], words: Mapping[str, str], with_price: bool) -> str:
    price = _text(plan.get("price")) if with_price else ""
    if price and _text(plan.get("currency")):
        price = f"{price} {_text(plan.get('currency'))}"
    values = {name: _text(plan.get(name)) for name in PLAN_LINES} | {"price": price}
    pairs = [("items", _words(plan.get("items")))]
    pairs += [(name, values[name]) for name in PLAN_LINES]
    return _lines(words, pairs)


def compose(
    consultation: Consultation,
    language: str,
    consulted_on: date,
    clinic_name: str,
    consultant_name: str,
    with_prices: bool = True,
) -> PrintedPage:
    """The record in `language` (one of `HEADINGS`), from the consultation as amended;
    `with_prices` false leaves each plan's price off the page, as the record leaves it out for
    a reader who may not read it."""
    words = HEADINGS[language]
    sections = [(words["needs"], _needs(consultation.needs, words))]
    for number, plan in enumerate(consultation.plans or (), start=1):
        heading = f"{words['plan']} {number}: {_text(plan.get('title'))}".rstrip(": ")
        sections.append((heading, _plan(plan, words, with_prices)))
    # A record kept before one of its parts existed prints without that part's heading.
    sections = [(heading, text) for heading, text in sections if text]
    sections.append((words["questions"], words["ask"]))
    # An account since removed leaves the consultant unnamed rather than the page unprinted.
    named = f" · {words['consultant']}: {consultant_name}" if consultant_name else ""
    return PrintedPage(
        language=language,
        title=words["title"],
        subtitle=f"{clinic_name}{named}",
        dated=f"{words['dated']}: {consulted_on.isoformat()}",
        sections=sections,
    )
