"""Per-clinic rotation policy. Seed 004's handbooks differ; the defaults are DOMAIN.md's reading.

Every decision records the label of the policy that made it, so a disputed turn can be explained
against the rules that were in force that day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class CompanionRule(str, Enum):
    # "companions each take a turn unless they ask for one consultant" (one clinic's handbook)
    EACH_TAKES_TURN = "EACH_TAKES_TURN"
    # "多人同行选一位主要咨询的顾客登记为初诊,陪同的顾客登记为其他" (another clinic's handbook)
    REGISTERED_AS_OTHER = "REGISTERED_AS_OTHER"


@dataclass(frozen=True)
class RotationPolicy:
    # A name staff chose is a desk note (`name_note_id`) and `name` stays empty: the desk's
    # workflow carries ids and codes only. "default" and names recorded before notes remain.
    name: str = "default"
    version: int = 1
    # Which skips earn a make-up turn ("补号"). Absence never does: "不予补派".
    busy_makeup: bool = True
    scope_makeup: bool = True
    absent_makeup: bool = False
    companions: CompanionRule = CompanionRule.EACH_TAKES_TURN
    # A counted client given out of order (A-class partner, companions with one consultant) uses
    # that consultant's next rotation turn, so the count and the order stay fair together.
    designated_uses_turn: bool = True
    # A return visit whose owner is away goes to a stand-in (revenue stays with the owner);
    # False: the supervisor arranges it.
    stand_in_for_absent_owner: bool = True
    acceptance_minutes: int = 10
    # The major item decides for several items: these first, then surgical, then the first named.
    major_items: tuple[str, ...] = ("breast", "liposuction")
    surgical_items: tuple[str, ...] = (
        "breast",
        "liposuction",
        "blepharoplasty",
        "rhinoplasty",
        "facelift",
        "abdominoplasty",
        "otoplasty",
        "chin",
    )
    # Items the clinic offers; empty means "not checked". Anything else is an invalid consultation.
    offered_items: tuple[str, ...] = field(default=())
    # The clinic's key items (重点项目): first visits for them go to the month's priority staff.
    key_items: tuple[str, ...] = field(default=())
    name_note_id: str | None = None

    @property
    def label(self) -> str:
        """What every decision names; a noted name is added where it is read (`named_label`)."""
        return f"{self.name} v{self.version}" if self.name else f"v{self.version}"

    def major_item(self, items: tuple[str, ...] | list[str]) -> str | None:
        """Breast or liposuction first, then surgery over non-surgical, else the first named."""
        for rank in (self.major_items, self.surgical_items):
            found = next((item for item in items if item in rank), None)
            if found:
                return found
        return items[0] if items else None

    def offers(self, item: str | None) -> bool:
        return item is None or not self.offered_items or item in self.offered_items


DEFAULT_POLICY = RotationPolicy()


def named_label(label: str, name: str | None) -> str:
    """A desk label ("v3") with the name staff gave the policy ("strict v3")."""
    return f"{name} {label}" if name else label
