"""The rotation rules of seed 004, one scenario per rule: desk, arrivals, who gets each client,
counted turns and owed make-ups afterwards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.journey.stages import VisitCategory as V
from domain.triage.decision import ArrivalPurpose
from domain.triage.desk import DeskState, MakeUp, SeatStatus
from domain.triage.policy import DEFAULT_POLICY, CompanionRule
from tests.unit.triage_builders import Status, client, desk, first, owed, run, turns

ABSENT_OWES = replace(DEFAULT_POLICY, name="absence-owes", absent_makeup=True)
COMPANIONS_AS_OTHER = replace(
    DEFAULT_POLICY, name="companions-other", companions=CompanionRule.REGISTERED_AS_OTHER
)
REFUND = ArrivalPurpose.REFUND
CATALOGUE = replace(DEFAULT_POLICY, name="catalogue", offered_items=("skin", "breast"))


@dataclass
class Scenario:
    rule: str
    desk: Callable[[], DeskState]
    steps: Callable[[], list]
    expected: list[str | None]
    turns: dict[str, int]
    owed: dict[str, int]


SCENARIOS = {
    "first visit goes to the head of the rotation": Scenario(
        "按照当日轮排接诊顺序及项目范畴分配",
        lambda: desk("A", "B", "C"),
        lambda: [first()],
        ["A"],
        {"A": 1},
        {},
    ),
    "first visits go round in order": Scenario(
        "轮流平均分诊",
        lambda: desk("A", "B", "C"),
        lambda: [first() for _ in range(4)],
        ["A", "B", "C", "A"],
        {"A": 2, "B": 1, "C": 1},
        {},
    ),
    "absent consultant is skipped without make-up": Scenario(
        "咨询医生不在岗...按照轮排顺序安排下一位咨询医生接诊(不予补派)",
        lambda: desk("A:away", "B", "C"),
        lambda: [first(), first()],
        ["B", "C"],
        {"B": 1, "C": 1},
        {},
    ),
    "off-duty consultant is skipped without make-up": Scenario(
        "休息不给予补单",
        lambda: desk("A:off", "B"),
        lambda: [first()],
        ["B"],
        {"B": 1},
        {},
    ),
    "paused consultant is skipped without make-up": Scenario(
        "如不愿接,当日此咨询师分诊暂停",
        lambda: desk("A:paused", "B"),
        lambda: [first()],
        ["B"],
        {"B": 1},
        {},
    ),
    "busy consultant is skipped and owed a make-up": Scenario(
        "如不能接诊直接轮排下一咨询医生...如是初诊顾客之后可以补足",
        lambda: desk("A:busy", "B", "C"),
        lambda: [first()],
        ["B"],
        {"B": 1},
        {"A": 1},
    ),
    "make-up is paid by the next client once free": Scenario(
        "如咨询师有顾客不能接诊,跳过后分诊,再次来诊补号",
        lambda: desk("A:busy", "B", "C"),
        lambda: [first(), Status("A", SeatStatus.AVAILABLE), first(), first()],
        ["B", "A", "C"],
        {"A": 1, "B": 1, "C": 1},
        {},
    ),
    "out of scope is skipped and owed the next fitting client": Scenario(
        "若存在禁止安排的项目,则跳过该咨询医生,顺排给下一位...补一位顾客给该咨询医生",
        lambda: desk("A:scope=skin", "B", "C"),
        lambda: [first("breast"), first("skin")],
        ["B", "A"],
        {"A": 1, "B": 1},
        {},
    ),
    "a non-fitting client does not pay a scope make-up": Scenario(
        "下一位顾客根据轮排规则若符合要求则优先补给姜医生",
        lambda: desk("A:scope=skin", "B", "C"),
        lambda: [first("breast"), first("breast")],
        ["B", "C"],
        {"B": 1, "C": 1},
        {"A": 1},
    ),
    "breast decides over skin": Scenario(
        "若一位顾客同时做多个项目的,以大项目(胸部、吸脂)为准",
        lambda: desk("A:scope=skin", "B"),
        lambda: [first("skin", "breast")],
        ["B"],
        {"B": 1},
        {"A": 1},
    ),
    "surgery decides over non-surgical": Scenario(
        "整形外科类项目优先",
        lambda: desk("A:scope=injectables", "B"),
        lambda: [first("injectables", "rhinoplasty")],
        ["B"],
        {"B": 1},
        {"A": 1},
    ),
    "the first named item decides between equals": Scenario(
        "对不能判断哪个为大项目的...以顾客首要咨询的项目为准",
        lambda: desk("A:scope=skin", "B"),
        lambda: [first("skin", "laser")],
        ["A"],
        {"A": 1},
        {},
    ),
    "category other is given in order but not counted": Scenario(
        "其他顾客...按照初诊顺序依次安排给咨询医生",
        lambda: desk("A", "B"),
        lambda: [client(V.OTHER), client(V.OTHER), first()],
        ["A", "B", "A"],
        {"A": 1},
        {},
    ),
    "a client coming for a refund is other: in order, no turn, not to the owner": Scenario(
        "其他:退款的顾客",
        lambda: desk("A", "B", "C"),
        lambda: [
            client(V.REPEAT_PURCHASE, owner_id="C", purpose=REFUND),
            first(purpose=REFUND),
            first(),
        ],
        ["A", "B", "A"],
        {"A": 1},
        {},
    ),
    "a client marked other goes in order, no turn, whoever their owner": Scenario(
        "其他:按轮排顺序分配,但不计入初诊名额",
        lambda: desk("A", "B", "C"),
        lambda: [
            client(V.OTHER, owner_id="C"),
            client(V.OTHER, owner_id="C", owner_from_lead=True),
            first(),
        ],
        ["A", "B", "A"],
        {"A": 1},
        {},
    ),
    "invalid consultation is not counted": Scenario(
        "无效咨询不计入正常分诊名额",
        lambda: desk("A", "B"),
        lambda: [first("hair-transplant", invalid=True), first()],
        ["A", "A"],
        {"A": 1},
        {},
    ),
    "an item the clinic does not offer is an invalid consultation": Scenario(
        "顾客咨询项目是我院尚未开展的项目,属于无效",
        lambda: desk("A", "B", policy=CATALOGUE),
        lambda: [first("hair-transplant"), first("skin")],
        ["A", "A"],
        {"A": 1},
        {},
    ),
    "busy consultant skipped for an uncounted client is owed nothing": Scenario(
        "如是初诊顾客之后可以补足",
        lambda: desk("A:busy", "B"),
        lambda: [client(V.OTHER)],
        ["B"],
        {},
        {},
    ),
    "return visit goes to the owner without a turn": Scenario(
        "复诊顾客仍由首诊咨询医生接待",
        lambda: desk("A", "B", "C"),
        lambda: [client(V.RETURN_VISIT, owner_id="B"), first()],
        ["B", "A"],
        {"A": 1},
        {},
    ),
    "repeat purchase goes to the owner even out of their scope": Scenario(
        "如顾客新咨询的项目在初诊咨询医生的项目范畴以外,仍由初诊咨询接待",
        lambda: desk("A", "B:scope=skin"),
        lambda: [client(V.REPEAT_PURCHASE, "breast", owner_id="B")],
        ["B"],
        {},
        {},
    ),
    "owner away: the delegate they named": Scenario(
        "由首诊咨询医生指定安排其他咨询医生接诊",
        lambda: desk("A", "B:away", "C"),
        lambda: [client(V.RETURN_VISIT, owner_id="B", owner_delegate_id="C")],
        ["C"],
        {},
        {},
    ),
    "owner away, no delegate: a stand-in, not a turn": Scenario(
        "可由其他咨询师代为接待,按复诊号分诊给首诊咨询师",
        lambda: desk("A", "B:off"),
        lambda: [client(V.RETURN_VISIT, owner_id="B"), first()],
        ["A", "A"],
        {"A": 1},
        {},
    ),
    "owner has left: back to rotation, counted": Scenario(
        "原咨询师已不在职,且该顾客没有归属咨询师,则该顾客进入轮排分诊",
        lambda: desk("A", "B"),
        lambda: [client(V.RETURN_VISIT, owner_id="X", owner_departed=True)],
        ["A"],
        {"A": 1},
        {},
    ),
    "referred client goes to the referrer's consultant, not a turn": Scenario(
        "如老顾客所属咨询医生在岗,则派给该咨询医生,不算初诊量",
        lambda: desk("A", "B"),
        lambda: [first(referrer_consultant_id="B"), first()],
        ["B", "A"],
        {"A": 1},
        {},
    ),
    "referrer's consultant off duty, no delegate: rotation, counted": Scenario(
        "如老顾客所属咨询医生不在岗...则按初诊轮排顺序排给当班咨询医生,算初诊量",
        lambda: desk("A", "B:off"),
        lambda: [first(referrer_consultant_id="B")],
        ["A"],
        {"A": 1},
        {},
    ),
    "referrer's consultant off duty, delegate named": Scenario(
        "所属咨询医生也未向前厅交代过该顾客来院时由谁代为接诊",
        lambda: desk("A", "B:off", "C"),
        lambda: [first(referrer_consultant_id="B", referrer_delegate_id="C")],
        ["C"],
        {},
        {},
    ),
    "A-class partner client: designated consultant, counted, uses their next turn": Scenario(
        "事业部顾客按限定咨询师接诊...此项分诊需占用咨询师正常分诊名额",
        lambda: desk("A", "B", "C"),
        lambda: [first(partner_consultant_id="C"), first(), first(), first()],
        ["C", "A", "B", "A"],
        {"A": 2, "B": 1, "C": 1},
        {},
    ),
    "A-class partner, designated consultant away: rotation": Scenario(
        "如对应咨询师不在,则由其他咨询师接待,按正常分诊接待",
        lambda: desk("A", "B:away"),
        lambda: [first(partner_consultant_id="B")],
        ["A"],
        {"A": 1},
        {},
    ),
    "companions each take a turn": Scenario(
        "两人或多个顾客同时来院正常情况下分给两个咨询师",
        lambda: desk("A", "B", "C"),
        lambda: [first(journey_id="main"), first(companion_of="main")],
        ["A", "B"],
        {"A": 1, "B": 1},
        {},
    ),
    "companions asking for one consultant all count for that one": Scenario(
        "如果客户要求同一个咨询师接诊,那就统一分给一个咨询师。但视为二个或多个正常分诊号",
        lambda: desk("A", "B", "C"),
        lambda: [
            first(journey_id="lead"),
            first(companion_of="lead", same_consultant=True),
            first(),
            first(),
            first(),
        ],
        ["A", "A", "B", "C", "B"],
        {"A": 2, "B": 2, "C": 1},
        {},
    ),
    "companions registered as other under that clinic's policy": Scenario(
        "陪同的顾客登记为其他",
        lambda: desk("A", "B", policy=COMPANIONS_AS_OTHER),
        lambda: [first(journey_id="m2"), first(companion_of="m2"), first()],
        ["A", "A", "B"],
        {"A": 1, "B": 1},
        {},
    ),
    "all busy: nobody assigned, supervisor called, nobody owed": Scenario(
        "若全部咨询医生均有顾客...通知咨询主管请其安排接待顾客",
        lambda: desk("A:busy", "B:busy"),
        lambda: [first()],
        [None],
        {},
        {},
    ),
    "give-back: the helper's next turn goes to the consultant who lost the client": Scenario(
        "将医生B的下一位顾客返还医生A",
        lambda: desk("A", "B", "C", makeups=[MakeUp("A", "10-minute rule", 1, "B")]),
        lambda: [first(), first(), first()],
        ["A", "A", "C"],
        {"A": 2, "C": 1},
        {},
    ),
    "a clinic whose handbook owes make-ups for absence": Scenario(
        "policy per clinic",
        lambda: desk("A:away", "B", policy=ABSENT_OWES),
        lambda: [first()],
        ["B"],
        {"B": 1},
        {"A": 1},
    ),
    "recheck goes to clinical staff, not the rotation": Scenario(
        "直接引领至医生处即可",
        lambda: desk("A", "B"),
        lambda: [client(V.RECHECK)],
        [None],
        {},
        {},
    ),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_rotation_rule(name: str) -> None:
    scenario = SCENARIOS[name]
    state = scenario.desk()

    outcome = run(state, scenario.steps())

    assert outcome.consultants == scenario.expected, scenario.rule
    assert turns(state) == scenario.turns
    assert owed(state) == scenario.owed


def test_a_client_marked_other_goes_in_order_whatever_their_lead_says() -> None:
    # Given a client marked other whose only owner is a phone lead's earliest contact, C
    state = desk("A", "B", "C")
    lead = client(V.OTHER, owner_id="C", owner_from_lead=True)
    # When they arrive
    outcome = run(state, [lead])
    # Then they go in rotation order, not counted, as a client C owns for real would
    assert (outcome.consultants, outcome.routes) == (["A"], ["IN_ORDER_UNCOUNTED"])
    assert turns(state) == {}


def test_there_are_at_least_25_rules() -> None:
    assert len(SCENARIOS) >= 25


CONSULTANTS = ["A", "B", "C", "D", "E"]
arrivals = st.lists(st.sampled_from([V.FIRST_VISIT, V.OTHER]), min_size=1, max_size=60)


@given(size=st.integers(min_value=1, max_value=5), categories=arrivals)
def test_first_visit_turns_never_differ_by_more_than_one(size: int, categories: list[V]) -> None:
    state = desk(*CONSULTANTS[:size])
    for category in categories:
        run(state, [client(category)])
        counts = [state.seats[c].turns for c in state.rotation]
        assert max(counts) - min(counts) <= 1


# A step: an arrival (None) or a consultant turning busy/free.
steps = st.lists(
    st.one_of(st.none(), st.tuples(st.sampled_from(CONSULTANTS[:4]), st.booleans())),
    min_size=1,
    max_size=60,
)


@given(script=steps)
def test_every_make_up_is_paid_and_turns_even_out(script: list[tuple[str, bool] | None]) -> None:
    state = desk(*CONSULTANTS[:4])
    for step in script:
        if step is None:
            run(state, [first()])
        else:
            busy = SeatStatus.BUSY if step[1] else SeatStatus.AVAILABLE
            run(state, [Status(step[0], busy)])
    run(state, [Status(c, SeatStatus.AVAILABLE) for c in CONSULTANTS[:4]])
    owed_before = len(state.makeups)

    run(state, [first() for _ in range(owed_before)])

    assert state.makeups == []
    counts = [state.seats[c].turns for c in state.rotation]
    assert max(counts) - min(counts) <= 1
