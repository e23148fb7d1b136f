"""Consent rules without I/O: the content hash, the drawn signature's checks, a second talk that
keeps the stage's clock, and a withdrawal that stops the journey only before treatment."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta

import pytest

from domain.consent.signature import PNG_LIMIT, SignatureFormat, check_drawn_signature
from domain.consent.templates import SECTIONS, TemplateContent, check_template, content_hash
from domain.errors import ValidationFailed
from domain.journey.sla import breached
from domain.journey.stages import ConsentKind, Stage
from domain.journey.table import Action
from tests.support import NURSE, T0, drive, facts_at, request

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _texts(word: str = "text") -> dict[str, dict[str, str]]:
    return {lang: {s: f"{word} {lang} {s}" for s in SECTIONS} for lang in ("pl", "ru", "zh", "en")}


def test_the_hash_is_sha256_of_sorted_compact_utf8_json() -> None:
    # Given a version with Chinese and Russian text
    content = TemplateContent("filler", "filler", ConsentKind.PROCEDURE, 3, _texts("知情 согласие"))
    # Then its hash is recomputable by anyone from the documented form
    form = {
        "kind": "PROCEDURE",
        "procedure_type": "filler",
        "template_key": "filler",
        "texts": _texts("知情 согласие"),
        "version": 3,
    }
    raw = json.dumps(form, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert content_hash(content) == hashlib.sha256(raw.encode("utf-8")).hexdigest()
    # And one changed character, or another version number, changes it
    changed = _texts("知情 согласие")
    changed["ru"]["risks"] += "."
    assert content_hash(content) != content_hash(
        TemplateContent("filler", "filler", ConsentKind.PROCEDURE, 3, changed)
    )
    assert content_hash(content) != content_hash(
        TemplateContent("filler", "filler", ConsentKind.PROCEDURE, 4, _texts("知情 согласие"))
    )


def test_a_template_needs_four_languages_and_every_section() -> None:
    texts = _texts()
    del texts["zh"]
    texts["en"]["aftercare"] = " "
    problems = check_template("filler", "filler", texts)
    assert [(p.field, p.message) for p in problems] == [
        ("texts", "the text in 'zh' is missing"),
        ("texts.en.aftercare", "required"),
    ]
    assert check_template("Filler!", "filler", _texts())[0].field == "templateKey"


@pytest.mark.parametrize(
    ("fmt", "data", "ok"),
    [
        (SignatureFormat.SVG_PATH, "M10 20 L30 40 C1 2 3 4 5 6 Z", True),
        (SignatureFormat.SVG_PATH, 'M10 20"/><script>alert(1)</script>', False),
        (SignatureFormat.SVG_PATH, "M" + "1 " * 40_000, False),
        (SignatureFormat.PNG, base64.b64encode(PNG).decode(), True),
        (SignatureFormat.PNG, base64.b64encode(b"GIF89a" + b"\x00" * 10).decode(), False),
        (SignatureFormat.PNG, "not base64!", False),
        (SignatureFormat.PNG, base64.b64encode(PNG + b"\x00" * PNG_LIMIT).decode(), False),
    ],
    ids=["svg", "svg-markup", "svg-too-long", "png", "gif", "not-base64", "png-too-big"],
)
def test_a_drawn_signature_is_checked_for_type_and_size(
    fmt: SignatureFormat, data: str, ok: bool
) -> None:
    assert (check_drawn_signature(fmt, data) == []) is ok


def test_a_second_talk_keeps_the_journey_in_consent_and_its_clock_running() -> None:
    # Given a journey that entered CONSENT at T0
    facts = facts_at(Stage.CONSENT)
    entered = facts.stage_entered_at
    # When the client defers twice, days apart
    later = T0 + timedelta(days=4)
    drive(facts, request(Action.DEFER_CONSENT, NURSE), now=T0 + timedelta(days=1))
    drive(facts, request(Action.DEFER_CONSENT, NURSE), now=later)
    # Then it is still in CONSENT, entered when it was, and the consent SLA is breached
    assert (facts.stage, facts.stage_entered_at) == (Stage.CONSENT, entered)
    assert breached(facts, later) is not None


def test_a_withdrawal_stops_the_journey_before_treatment_and_not_after() -> None:
    # Before: nothing signed, nothing to withdraw (on `kind`, as when another one is signed)
    facts = facts_at(Stage.CONSENT)
    with pytest.raises(ValidationFailed, match="no PROCEDURE consent is in force"):
        drive(facts, request(Action.WITHDRAW_CONSENT, NURSE, consent_kind=ConsentKind.PROCEDURE))
    # At payment: the journey is declined
    paying = facts_at(Stage.PAYMENT)
    drive(paying, request(Action.WITHDRAW_CONSENT, NURSE, consent_kind=ConsentKind.PROCEDURE))
    assert paying.stage is Stage.DECLINED
    # At payment, a consent the treatment does not need (photos): recorded, the journey goes on
    photos = facts_at(Stage.PAYMENT)
    photos.consents_signed.append(ConsentKind.PHOTO)
    drive(photos, request(Action.WITHDRAW_CONSENT, NURSE, consent_kind=ConsentKind.PHOTO))
    assert photos.stage is Stage.PAYMENT
    assert photos.consents_signed == [ConsentKind.PROCEDURE]
    # After handover: recorded, the consent is no longer in force, the care goes on
    treated = facts_at(Stage.HANDOVER)
    drive(treated, request(Action.WITHDRAW_CONSENT, NURSE, consent_kind=ConsentKind.PROCEDURE))
    assert treated.stage is Stage.HANDOVER
    assert ConsentKind.PROCEDURE not in treated.consents_signed
