"""The desk words its entries itself; staff words come as a note id (or, in histories recorded
before notes, as the command's own `reason`)."""

from __future__ import annotations

import pytest

from domain.errors import ValidationFailed
from domain.triage.checks import check_override, check_seat
from domain.triage.commands import OverrideCommand, OverrideKind, SeatCommand
from domain.triage.entries import worded_reason
from domain.triage.overrides import change_seat, set_policy
from domain.triage.policy import RotationPolicy, named_label
from tests.support import SUPERVISOR
from tests.unit.triage_builders import DESK, NOW, desk


def test_a_noted_change_carries_the_note_id_and_only_the_desks_words() -> None:
    state = desk("A")
    entry = change_seat(state, SeatCommand(DESK, "A", "note-1", on_duty=False), NOW)
    assert (entry.reason, entry.note_id) == ("off duty", "note-1")
    assert worded_reason(entry, "sick leave") == "off duty: sick leave"


def test_a_command_recorded_before_notes_keeps_its_own_words() -> None:
    state = desk("A")
    entry = change_seat(state, SeatCommand(DESK, "A", reason="sick leave", on_duty=False), NOW)
    assert (entry.reason, entry.note_id) == ("off duty: sick leave", None)


def test_without_a_note_or_words_the_desk_asks_why() -> None:
    state = desk("A")
    change_seat(state, SeatCommand(DESK, "A", "note-1", on_duty=True), NOW)  # entry 1
    with pytest.raises(ValidationFailed, match=r"^reason: say why$"):
        check_seat(state, SeatCommand(DESK, "A", on_duty=False))
    with pytest.raises(ValidationFailed, match=r"^reason: an override needs a reason$"):
        check_override(state, OverrideCommand(SUPERVISOR, OverrideKind.CORRECT, amends_seq=1))


def test_a_named_policy_is_a_note_and_every_later_entry_points_at_it() -> None:
    # Given a policy whose name staff wrote into note-7
    state = desk("A")
    policy = RotationPolicy(name="", name_note_id="note-7")
    command = OverrideCommand(SUPERVISOR, OverrideKind.SET_POLICY, "note-7", policy=policy)
    # When the desk takes it, and changes a seat afterwards
    changed = set_policy(state, command, NOW)
    later = change_seat(state, SeatCommand(DESK, "A", "note-8", on_duty=False), NOW)
    # Then the desk knows it as "v2" and every entry names the note; the name joins on reading
    assert (changed.policy, changed.policy_note_id, changed.note_id) == ("v2", "note-7", "note-7")
    assert (later.policy, later.policy_note_id) == ("v2", "note-7")
    assert named_label(later.policy, "weekend rules") == "weekend rules v2"
    assert named_label("default v1", None) == "default v1"
