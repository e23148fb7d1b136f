"""The client's aftercare leaflet: what it says, in the client's language.

The discomfort notes come from the journey's procedure type version; the doctor's handover may
adjust them for one language (that language's leaflet then shows the adjusted notes). Headings
are the clinic's standard words in each language; rendering (HTML, PDF) happens elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.printed import PrintedPage
from domain.procedures.template import ProcedureContent

HEADINGS: dict[str, dict[str, str]] = {
    "pl": {
        "title": "Zalecenia po zabiegu",
        "treated_on": "Data zabiegu",
        "normal": "Co jest normalne",
        "passes": "Kiedy to minie",
        "call_now": "Zadzwoń do kliniki natychmiast, jeśli",
        "self_care": "Co możesz zrobić sam(a)",
        "activities": "Wpływ na codzienne czynności",
        "warranty": "Gwarancja",
        "warranty_until": "Gwarancja ważna do",
        "medicines": "Leki do domu",
        "days": "dni",
    },
    "ru": {
        "title": "Рекомендации после процедуры",
        "treated_on": "Дата процедуры",
        "normal": "Что нормально",
        "passes": "Когда это пройдёт",
        "call_now": "Немедленно позвоните в клинику, если",
        "self_care": "Что можно сделать самому",
        "activities": "Влияние на повседневную активность",
        "warranty": "Гарантия",
        "warranty_until": "Гарантия действует до",
        "medicines": "Лекарства после процедуры",
        "days": "дн.",
    },
    "zh": {
        "title": "术后护理须知",
        "treated_on": "治疗日期",
        "normal": "正常现象",
        "passes": "何时消退",
        "call_now": "出现以下情况请立即致电诊所",
        "self_care": "您可以自己做的护理",
        "activities": "对日常活动的影响",
        "warranty": "保修承诺",
        "warranty_until": "保修有效期至",
        "medicines": "带回家的药物",
        "days": "天",
    },
    "en": {
        "title": "Aftercare instructions",
        "treated_on": "Date of treatment",
        "normal": "What is normal",
        "passes": "When it passes",
        "call_now": "Call the clinic at once if",
        "self_care": "What you can do yourself",
        "activities": "Effect on your activities",
        "warranty": "Warranty",
        "warranty_until": "Warranty valid until",
        "medicines": "Your medicines",
        "days": "days",
    },
}
NOTE_PARTS = ("normal", "passes", "call_now", "self_care", "activities")


@dataclass(frozen=True)
class Leaflet:
    # As printed: the procedure's name under the title, the day of treatment dated.
    page: PrintedPage
    # The discomfort notes as shown, part by part.
    notes: dict[str, str]


def _medicine(given: Mapping[str, Any], words: Mapping[str, str]) -> str:
    """One line of her medicines: `amoxicillin 500 mg: every 8 hours, 5 days (with food)`."""
    name = " ".join(str(given.get(part) or "").strip() for part in ("medicine", "dose")).strip()
    line = (
        f"{name}: {str(given.get('frequency') or '').strip()}, {given.get('days')} {words['days']}"
    )
    note = str(given.get("note") or "").strip()
    return f"{line} ({note})" if note else line


def compose(
    content: ProcedureContent,
    language: str,
    treated_on: date | None,
    adjusted: Mapping[str, Any] | None = None,
    prescriptions: Sequence[Mapping[str, Any]] = (),
) -> Leaflet:
    """The leaflet in `language` (one of the template's languages). `adjusted`: the handover's
    notes for this language, part by part; a part it leaves empty keeps the template's.
    `prescriptions`: the medicines the handover gave her, printed after the notes."""
    words = HEADINGS[language]
    notes = dict(content.discomfort[language])
    for part, text in (adjusted or {}).items():
        # (a correction's notes are staff's JSON: only words replace words)
        if part in NOTE_PARTS and isinstance(text, str) and text.strip():
            notes[part] = text.strip()
    sections = [(words[part], notes[part]) for part in NOTE_PARTS]
    if prescriptions:
        listed = "\n".join(_medicine(given, words) for given in prescriptions)
        sections.append((words["medicines"], listed))
    if content.warranty_days:
        terms = content.warranty_terms.get(language, "")
        until = ""
        if treated_on is not None:
            end = date.fromordinal(treated_on.toordinal() + content.warranty_days)
            until = f"{words['warranty_until']} {end.isoformat()}. "
        sections.append((words["warranty"], f"{until}{terms}".strip()))
    page = PrintedPage(
        language=language,
        title=words["title"],
        subtitle=content.names[language],
        dated=f"{words['treated_on']}: {treated_on.isoformat()}" if treated_on else "",
        sections=sections,
    )
    return Leaflet(page=page, notes=notes)
