# Texts in Polish, Russian and Chinese use their own punctuation and letters, on purpose.
# ruff: noqa: RUF001
"""The demo clinic's procedure types, drawn from the seeds: an injectable, a surgery (seed 003's
double-eyelid operation) and an energy device (seed 002's 光子嫩肤), with seed 002's follow-up
tiers, seed 003's photo schedule and seed 001's discomfort notes and warranty."""

from __future__ import annotations

from domain.procedures.template import (
    BASE_CHECKS,
    DAY,
    HOUR,
    ChecklistItem,
    FollowUpChannel,
    FollowUpStep,
    PhotoPoint,
    ProcedureAnaesthesia,
    ProcedureCategory,
    ProcedureContent,
    check_content,
    required_checks,
)
from domain.store.procedures import ProcedureTypeVersion
from schema.procedures.publish import publish_version

LABELS = {
    "identity_verified": ("Identity verified again on the day", False),
    "plan_verified": ("The approved plan verified again", False),
    "contraindications_rechecked": (
        "Contraindications re-checked: pregnancy, lactation, allergies, current medication",
        False,
    ),
    "preop_education": (
        "Told before the treatment: what to expect and worries answered, how to cooperate, "
        "aftercare basics",
        False,
    ),
    "lab_blood": ("Blood tests: results", True),
    "lab_ecg": ("ECG: result", True),
    "lab_ultrasound": ("Ultrasound (B-mode): result", True),
    "lab_chest_film": ("Chest film: result", True),
    "general_examination": (
        "General examination: psychological state, heart, liver and kidneys: findings",
        True,
    ),
    "vital_signs": ("Vital signs: blood pressure, pulse, temperature, breathing", True),
    "anesthesia_assessment": ("Anesthesia assessment by the anesthetist", True),
    "operative_site_checked": ("Operative site checked: no focus of infection", False),
    "symmetry_recorded": (
        "Symmetry of eyes, ears, nostrils, mouth corners and cheeks: as found",
        True,
    ),
    "preop_photos": ("Pre-operative photos taken", False),
    "marking": ("Incision lines marked", False),
    "menstruation_checked": ("Menstruation asked about again before the operation", False),
    "bladder_bowels_emptied": ("Bladder and bowels emptied before the operation", False),
    "fasting_confirmed": (
        "Nothing eaten or drunk within the fasting time given (general anaesthesia)",
        False,
    ),
}


def _checklist(codes: tuple[str, ...]) -> list[ChecklistItem]:
    return [ChecklistItem(code, *LABELS[code]) for code in codes]


def _call(offset: int, purpose: str, *questions: str) -> FollowUpStep:
    return FollowUpStep(offset, FollowUpChannel.PHONE, purpose, list(questions))


FILLER = ProcedureContent(
    category=ProcedureCategory.INJECTABLES,
    names={
        "pl": "Wypełniacz z kwasem hialuronowym",
        "ru": "Филлер на основе гиалуроновой кислоты",
        "zh": "玻尿酸填充",
        "en": "Hyaluronic acid filler",
    },
    checklist=_checklist(BASE_CHECKS),
    follow_ups=[
        _call(24 * HOUR, "How the first day went", "Swelling or bruising?", "Any pain?"),
        _call(3 * DAY, "Swelling settling", "Is the swelling going down?"),
        _call(14 * DAY, "The result", "Are you happy with the result?"),
        _call(91 * DAY, "Three months on", "Does the effect hold?"),
        _call(182 * DAY, "Invitation to a touch-up", "Would you like a check-up visit?"),
    ],
    photo_schedule=[PhotoPoint("before", 0), PhotoPoint("week_2", 14)],
    discomfort={
        "pl": {
            "normal": "Lekki obrzęk, zaczerwienienie i drobne siniaki w miejscach wkłuć.",
            "passes": "Zwykle mijają w ciągu 3–7 dni.",
            "call_now": "Silny ból, bladość lub sinienie skóry, gorączka, zaburzenia widzenia.",
            "self_care": "Chłodne okłady przez pierwszy dzień; nie masuj okolicy zabiegu.",
            "activities": "Bez sauny, basenu i intensywnego sportu przez tydzień.",
        },
        "ru": {
            "normal": "Лёгкий отёк, покраснение и небольшие синяки в местах уколов.",
            "passes": "Обычно проходят за 3–7 дней.",
            "call_now": "Сильная боль, побледнение или посинение кожи, температура, "
            "нарушение зрения.",
            "self_care": "Холодные компрессы в первый день; не массируйте зону процедуры.",
            "activities": "Без сауны, бассейна и интенсивного спорта в течение недели.",
        },
        "zh": {
            "normal": "注射部位轻微肿胀、发红和少量淤青。",
            "passes": "通常在三到七天内消退。",
            "call_now": "剧烈疼痛、皮肤发白或发紫、发烧、视力异常。",
            "self_care": "第一天冷敷；不要按摩治疗部位。",
            "activities": "一周内避免桑拿、游泳和剧烈运动。",
        },
        "en": {
            "normal": "Mild swelling, redness and small bruises where the needle went in.",
            "passes": "Usually gone within 3 to 7 days.",
            "call_now": "Severe pain, skin turning pale or bluish, fever, changes in vision.",
            "self_care": "Cold compresses on the first day; do not massage the area.",
            "activities": "No sauna, swimming pool or hard exercise for a week.",
        },
    },
    warranty_days=182,
    warranty_terms={
        "pl": "Bezpłatna korekta, jeśli efekt zaniknie wcześniej niż opisano w planie.",
        "ru": "Бесплатная коррекция, если эффект исчезнет раньше описанного в плане.",
        "zh": "如果效果比方案所述更早消失，可免费补打。",
        "en": "A free touch-up if the effect fades sooner than the plan describes.",
    },
)

BLEPHAROPLASTY = ProcedureContent(
    category=ProcedureCategory.SURGERY,
    names={
        "pl": "Plastyka powiek górnych",
        "ru": "Блефаропластика верхних век",
        "zh": "双眼皮手术",
        "en": "Upper eyelid surgery",
    },
    # Seed 003: the double-eyelid operation goes as the nose's, "一般采用局部麻醉" (as a rule
    # under a local anaesthesia).
    anaesthesia=ProcedureAnaesthesia.LOCAL,
    checklist=_checklist(required_checks(ProcedureCategory.SURGERY, ProcedureAnaesthesia.LOCAL)),
    follow_ups=[
        _call(24 * HOUR, "After the first night", "Pain, bleeding, swelling?"),
        FollowUpStep(7 * DAY, FollowUpChannel.VISIT, "Suture removal and dressing"),
        _call(14 * DAY, "Healing", "How do the scars look?"),
        _call(30 * DAY, "One month", "Any asymmetry or dryness of the eyes?"),
        FollowUpStep(91 * DAY, FollowUpChannel.VISIT, "Three-month check and photos"),
        _call(182 * DAY, "Six months", "Are you satisfied with the result?"),
        FollowUpStep(365 * DAY, FollowUpChannel.VISIT, "One-year check and photos"),
    ],
    photo_schedule=[
        PhotoPoint("before", 0),
        PhotoPoint("suture_removal", 7),
        PhotoPoint("month_3", 91),
        PhotoPoint("year_1", 365),
    ],
    discomfort={
        "pl": {
            "normal": "Obrzęk i siniaki powiek, uczucie napięcia, łzawienie.",
            "passes": "Obrzęk maleje po 7–10 dniach, siniaki znikają w ciągu 2 tygodni.",
            "call_now": "Narastający ból, krwawienie, nagłe pogorszenie widzenia, gorączka.",
            "self_care": "Chłodne okłady 48 godzin, śpij z uniesioną głową, krople do oczu.",
            "activities": "Bez makijażu oczu i soczewek 2 tygodnie, bez sportu 3 tygodnie.",
        },
        "ru": {
            "normal": "Отёк и синяки век, чувство стянутости, слезотечение.",
            "passes": "Отёк уменьшается через 7–10 дней, синяки проходят за 2 недели.",
            "call_now": "Нарастающая боль, кровотечение, внезапное ухудшение зрения, температура.",
            "self_care": "Холод 48 часов, сон с приподнятой головой, глазные капли.",
            "activities": "Без макияжа глаз и линз 2 недели, без спорта 3 недели.",
        },
        "zh": {
            "normal": "眼睑肿胀和淤青，紧绷感，流泪。",
            "passes": "肿胀七到十天后减轻，淤青两周内消退。",
            "call_now": "疼痛加剧、出血、视力突然下降、发烧。",
            "self_care": "四十八小时内冷敷，垫高头部睡觉，按医嘱使用眼药水。",
            "activities": "两周内不化眼妆、不戴隐形眼镜，三周内不运动。",
        },
        "en": {
            "normal": "Swollen, bruised eyelids, a feeling of tightness, watery eyes.",
            "passes": "Swelling eases after 7 to 10 days; bruises fade within 2 weeks.",
            "call_now": "Growing pain, bleeding, a sudden change in vision, fever.",
            "self_care": "Cold packs for 48 hours, sleep with your head raised, eye drops.",
            "activities": "No eye make-up or contact lenses for 2 weeks, no sport for 3.",
        },
    },
    warranty_days=365,
    warranty_terms={
        "pl": "Korekta bez opłat w razie asymetrii wymagającej poprawy w ciągu roku.",
        "ru": "Бесплатная коррекция при асимметрии, требующей исправления, в течение года.",
        "zh": "一年内如出现需要修复的不对称，免费修复。",
        "en": "A free revision within a year for asymmetry that needs correcting.",
    },
)

PHOTOREJUVENATION = ProcedureContent(
    category=ProcedureCategory.ENERGY_DEVICES,
    names={
        "pl": "Fotoodmładzanie IPL",
        "ru": "Фотоомоложение IPL",
        "zh": "光子嫩肤",
        "en": "IPL photorejuvenation",
    },
    checklist=_checklist(BASE_CHECKS),
    follow_ups=[
        FollowUpStep(24 * HOUR, FollowUpChannel.MESSAGE, "Skin after the first day"),
        _call(7 * DAY, "Redness and spots", "Did the darker spots flake off?"),
        _call(30 * DAY, "Next session", "Shall we book the next session?"),
    ],
    photo_schedule=[PhotoPoint("before", 0), PhotoPoint("month_1", 30)],
    discomfort={
        "pl": {
            "normal": "Zaczerwienienie i uczucie ciepła; plamy barwnikowe ciemnieją.",
            "passes": "Zaczerwienienie mija w 1-2 dni, ciemne plamki złuszczają się w 7 dni.",
            "call_now": "Pęcherze, sączenie, silny ból skóry.",
            "self_care": "Krem nawilżający i filtr SPF 50, bez drapania strupków.",
            "activities": "Bez opalania i solarium przez 4 tygodnie.",
        },
        "ru": {
            "normal": "Покраснение и ощущение тепла; пигментные пятна темнеют.",
            "passes": "Покраснение проходит за 1-2 дня, тёмные пятна шелушатся за 7 дней.",
            "call_now": "Пузыри, мокнутие, сильная боль кожи.",
            "self_care": "Увлажняющий крем и SPF 50, не сдирайте корочки.",
            "activities": "Без загара и солярия 4 недели.",
        },
        "zh": {
            "normal": "皮肤发红、发热，色斑颜色加深。",
            "passes": "发红一到两天消退，深色斑点七天内脱落。",
            "call_now": "起水疱、渗液、皮肤剧痛。",
            "self_care": "使用保湿霜和SPF50防晒，不要抠痂。",
            "activities": "四周内避免日晒和日光浴。",
        },
        "en": {
            "normal": "Redness and warmth; pigment spots turn darker.",
            "passes": "Redness fades in 1 to 2 days; dark spots flake off within 7 days.",
            "call_now": "Blisters, weeping skin, severe pain.",
            "self_care": "Moisturiser and SPF 50 sunscreen; do not pick at the flakes.",
            "activities": "No sunbathing or sunbeds for 4 weeks.",
        },
    },
)

DEMO_TYPES = {
    "filler": FILLER,
    "blepharoplasty": BLEPHAROPLASTY,
    "photorejuvenation": PHOTOREJUVENATION,
}


async def seed_procedure_types(clinic_id: str, account_id: str) -> None:
    """Publishes version 1 of each demo type the clinic does not have yet."""
    for type_key, content in DEMO_TYPES.items():
        if check_content(type_key, content):
            raise ValueError(f"the demo procedure type {type_key} breaks the template rules")
        if await ProcedureTypeVersion.exists(clinic_id=clinic_id, type_key=type_key):
            continue
        row_id = f"seed-{clinic_id}-{type_key}-1"[:64]
        await publish_version(row_id, clinic_id, account_id, type_key, content)
