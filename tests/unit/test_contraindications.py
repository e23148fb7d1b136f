"""The contraindication rule: each reason on its own, and what does not count."""

from __future__ import annotations

from datetime import date

import pytest

from domain.catalog.items import CatalogItemSpec, ExcludedState, check_item
from domain.client_file.contraindications import (
    STOPPED_MEDICATION_COUNTS_DAYS,
    ClientRecord,
    ContraindicationCode,
    NamedEntry,
    PregnancyStatement,
    contraindications,
    standing,
)
from domain.errors import NotAuthorized, TransitionNotAllowed
from domain.journey.access import check_action
from domain.journey.effects import apply_action
from domain.journey.facts import ActionRequest
from domain.journey.stages import Stage
from domain.journey.table import Action
from tests.support import EXPERT, EXPERT_2, NURSE, T0, drive, facts_at

TODAY = date(2026, 12, 2)
FILLER = CatalogItemSpec(
    item_id="filler",
    name="Filler X",
    ingredients=("hyaluronic acid", "Lidocaine"),
    allergens=("amide anaesthetics",),
    interacting_medications=("Isotretinoin",),
    excluded_states=frozenset({ExcludedState.PREGNANCY, ExcludedState.LACTATION}),
    minimum_age=18,
)
PEEL = CatalogItemSpec(item_id="peel", name="Mild peel", ingredients=("lactic acid",))


# Stated on the day of treatment: neither pregnant nor breastfeeding.
NEITHER_TODAY = PregnancyStatement(pregnant=False, lactating=False, stated_on=TODAY)


def record(**parts: object) -> ClientRecord:
    parts.setdefault("pregnancy", NEITHER_TODAY)
    return ClientRecord(birth_date=date(1990, 5, 1), today=TODAY, **parts)  # type: ignore[arg-type]


def codes(found: list) -> list[tuple[ContraindicationCode, str]]:  # type: ignore[type-arg]
    return [(reason.code, reason.item_id) for reason in found]


def test_a_clean_record_rules_nothing_out() -> None:
    assert contraindications(record(), [FILLER, PEEL]) == []


def test_pregnancy_and_lactation_count_only_for_items_that_exclude_them() -> None:
    pregnant = PregnancyStatement(pregnant=True, lactating=False, stated_on=TODAY)
    found = contraindications(record(pregnancy=pregnant), [FILLER, PEEL])
    assert codes(found) == [(ContraindicationCode.PREGNANCY, "filler")]
    assert found[0].key == "PREGNANCY:filler"
    assert "2026-12-02" in found[0].detail
    nursing = PregnancyStatement(pregnant=False, lactating=True, stated_on=TODAY)
    assert codes(contraindications(record(pregnancy=nursing), [FILLER])) == [
        (ContraindicationCode.LACTATION, "filler")
    ]
    assert contraindications(record(pregnancy=NEITHER_TODAY), [FILLER]) == []


def test_an_item_ruling_out_pregnancy_needs_a_statement_made_that_day() -> None:
    # No statement, or one of an earlier day, says nothing of today: a reason of its own
    earlier = PregnancyStatement(pregnant=False, lactating=False, stated_on=date(2026, 11, 30))
    for statement, when in ((None, "never stated"), (earlier, "last stated 2026-11-30")):
        found = contraindications(record(pregnancy=statement), [FILLER, PEEL])
        assert codes(found) == [(ContraindicationCode.PREGNANCY, "filler")]
        assert found[0].key == "PREGNANCY:filler:unstated-2026-12-02"  # that day's only
        assert when in found[0].detail and "not stated today" in found[0].detail
    # An item that rules neither out asks for none
    assert contraindications(record(pregnancy=None), [PEEL]) == []


def test_an_allergy_to_an_ingredient_or_a_listed_allergen_blocks_whatever_its_spelling() -> None:
    allergies = [NamedEntry("a-1", "  lidocaine "), NamedEntry("a-2", "Amide  Anaesthetics")]
    allergies.append(NamedEntry("a-3", "pollen"))
    found = contraindications(record(allergies=allergies), [FILLER, PEEL])
    assert codes(found) == [(ContraindicationCode.ALLERGY, "filler")] * 2
    assert [reason.key for reason in found] == ["ALLERGY:filler:a-1", "ALLERGY:filler:a-2"]
    assert "Lidocaine" in found[0].detail


def test_a_spelling_with_invisible_or_decomposed_characters_is_the_same_substance() -> None:
    # A soft hyphen, a zero-width space, a decomposed letter, full-width letters
    spellings = [
        "lido\u00adcaine",
        "lido\u200bcaine",
        "\uff2c\uff29\uff24\uff2f\uff23\uff21\uff29\uff2e\uff25",
        "isotreti\u200dnoin",
    ]
    allergies = [NamedEntry(f"a-{n}", name) for n, name in enumerate(spellings[:3])]
    medications = [NamedEntry("m-1", spellings[3])]
    found = contraindications(record(allergies=allergies, medications=medications), [FILLER])
    assert codes(found) == [(ContraindicationCode.ALLERGY, "filler")] * 3 + [
        (ContraindicationCode.MEDICATION, "filler")
    ]
    decomposed = CatalogItemSpec(item_id="numbing", name="Cream", ingredients=("Lidocaïne",))
    allergy = [NamedEntry("a-9", "lidocai\u0308ne")]
    assert codes(contraindications(record(allergies=allergy), [decomposed])) == [
        (ContraindicationCode.ALLERGY, "numbing")
    ]


def test_a_listed_interacting_medication_blocks() -> None:
    medications = [NamedEntry("m-1", "isotretinoin"), NamedEntry("m-2", "vitamin D")]
    found = contraindications(record(medications=medications), [FILLER, PEEL])
    assert codes(found) == [(ContraindicationCode.MEDICATION, "filler")]
    assert found[0].key == "MEDICATION:filler:m-1"


def test_a_medication_stopped_within_a_year_still_blocks_with_its_day() -> None:
    a_year_ago = date(2025, 12, 2)
    assert (TODAY - a_year_ago).days == STOPPED_MEDICATION_COUNTS_DAYS
    stopped = NamedEntry("m-1", "isotretinoin", stopped_on=a_year_ago)
    (found,) = contraindications(record(medications=[stopped]), [FILLER])
    assert found.key == "MEDICATION:filler:m-1"
    assert found.detail.startswith("took isotretinoin until 2025-12-02, which interacts")
    # A day longer ago, it no longer counts
    earlier = NamedEntry("m-1", "isotretinoin", stopped_on=date(2025, 12, 1))
    assert contraindications(record(medications=[earlier]), [FILLER]) == []


def test_an_age_below_the_minimum_blocks_until_the_birthday() -> None:
    day_before = ClientRecord(date(2008, 12, 3), TODAY, pregnancy=NEITHER_TODAY)
    assert day_before.age == 17
    assert codes(contraindications(day_before, [FILLER, PEEL])) == [
        (ContraindicationCode.AGE, "filler")
    ]
    birthday = ClientRecord(date(2008, 12, 2), TODAY, pregnancy=NEITHER_TODAY)
    assert contraindications(birthday, [FILLER]) == []


def test_an_override_sets_aside_exactly_its_own_reason() -> None:
    pregnant = PregnancyStatement(pregnant=True, lactating=True, stated_on=TODAY)
    found = contraindications(record(pregnancy=pregnant), [FILLER])
    assert codes(found) == [
        (ContraindicationCode.PREGNANCY, "filler"),
        (ContraindicationCode.LACTATION, "filler"),
    ]
    left = standing(found, {"PREGNANCY:filler"})
    assert codes(left) == [(ContraindicationCode.LACTATION, "filler")]
    assert standing(found, {"PREGNANCY:filler", "LACTATION:filler"}) == []


def test_an_item_is_checked_before_it_is_stored() -> None:
    bad = CatalogItemSpec(
        item_id="x",
        name=" ",
        ingredients=("lidocaine", "Lidocaine", ""),
        minimum_age=130,
    )
    fields = [problem.field for problem in check_item(bad)]
    assert fields == ["name", "ingredients[1]", "ingredients[2]", "minimumAge"]
    assert check_item(FILLER) == []


def test_only_the_journeys_expert_overrides_and_only_before_treatment_starts() -> None:
    facts = facts_at(Stage.TREATMENT)
    assert facts.expert_id == EXPERT.user_id
    override = ActionRequest(Action.OVERRIDE_CONTRAINDICATION, EXPERT)
    check_action(facts, override)  # the journey's expert, before treatment: taken
    for other in (EXPERT_2, NURSE):
        with pytest.raises(NotAuthorized):
            check_action(facts, ActionRequest(Action.OVERRIDE_CONTRAINDICATION, other))
    # The override leaves the journey where it is, with its event
    event = apply_action(facts, override, T0)
    assert (event.from_stage, event.to_stage) == (Stage.TREATMENT, Stage.TREATMENT)
    drive(facts, ActionRequest(Action.START_TREATMENT, NURSE))
    with pytest.raises(TransitionNotAllowed):
        check_action(facts, override)
