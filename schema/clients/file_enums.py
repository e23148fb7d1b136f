"""The client file's vocabularies as GraphQL enums, each value described for the SPA."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from domain.client_file import kinds, post_op


def _described(enum: type[Enum], description: str, values: dict[str, str]) -> Any:
    exposed = strawberry.enum(enum, description=description)
    for value in exposed.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = values[value.name]
    return exposed


HistoryTopic = _described(
    kinds.HistoryTopic,
    "What a medical-history entry is about.",
    {
        "MEDICAL_CONDITION": "An illness or condition, past or present.",
        "EARLIER_TREATMENT": "An earlier aesthetic or cosmetic treatment and its effect.",
        "SURGERY": "An earlier operation.",
        "LIFESTYLE": "Habits that bear on treatment: smoking, sport, sun, sleep, diet.",
        "SKIN_CARE": "The client's own skin care and products.",
        "PSYCHOLOGICAL_STATE": "The client's state of mind as it bears on treatment.",
        "AESTHETIC_PREFERENCES": "What the client wants to look like, and what not.",
    },
)
AllergySeverity = _described(
    kinds.AllergySeverity,
    "How bad the reaction was.",
    {
        "MILD": "Discomfort; no treatment needed.",
        "MODERATE": "Needed treatment.",
        "SEVERE": "Needed urgent treatment.",
        "LIFE_THREATENING": "Anaphylaxis or the like.",
    },
)
ServiceCardSection = _described(
    kinds.ServiceCardSection,
    "The sections of the service card.",
    {
        "PREFERENCE_DRINKS": "What the client likes to drink.",
        "PREFERENCE_MUSIC": "Music the client likes, or none.",
        "PREFERENCE_TOPICS": "Topics the client likes to talk about, or avoids.",
        "PREFERENCE_OTHER": "Other preferences: magazines, TV, the room.",
        "PHONE_WISHES": "What to remind the client of by phone, and whether to ask about "
        "results and impressions (`askAboutResults`: her calls' scores and the phone survey).",
        "CLINIC_DELAY": "The clinic kept the client waiting (`minutes`, `occurredOn`).",
        "CLIENT_LATENESS": "The client came late (`minutes`, `occurredOn`).",
        "STATE_BEFORE_VISIT": "How the client was before a consultation or treatment.",
        "STATE_AFTER_VISIT": "How the client was after it.",
        "CONTACT_DIFFICULTY": "Traits that make contact hard, and what helps.",
        "BAD_EXPERIENCE": "A bad earlier experience, here or elsewhere.",
        "DOCUMENT_DIFFICULTY": "Trouble with the documents (contract, forms, guarantees).",
        "PRICE_REACTION": "How the client reacted to prices.",
        "PAYMENT_TERMS": "Deposits and payment terms agreed or asked for.",
    },
)
Anaesthesia = _described(
    post_op.Anaesthesia,
    "How the client was anaesthetised for the operation (seed 003: 局麻 / 全麻).",
    {
        "GENERAL": "General anaesthesia: for 6 hours after, flat without a pillow and nothing "
        "by mouth, each observation saying so.",
        "LOCAL": "Local anaesthesia.",
    },
)
