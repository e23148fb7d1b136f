"""The audiences of the permission table: who, by role, may read a field or call an operation,
and the helpers that spell a table row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from domain.journey.table import ROLES, Action
from domain.photos.purposes import PhotoPurpose
from domain.roles import Role

R = Role


@dataclass(frozen=True)
class Audience:
    """Who may read a field or call an operation; `signed_out` admits requests without a token."""

    roles: frozenset[Role]
    signed_out: bool = False

    def admits(self, role: Role | None) -> bool:
        if self.signed_out:
            return True
        return role is not None and role in self.roles

    def names(self) -> list[str]:
        named = sorted(role.value for role in self.roles)
        return ["SIGNED_OUT", *named] if self.signed_out else named


def of_roles(*roles: Role | Iterable[Role]) -> Audience:
    chosen: set[Role] = set()
    for role in roles:
        chosen |= {role} if isinstance(role, Role) else set(role)
    return Audience(frozenset(chosen - {R.SYSTEM}))


SIGNED_IN_ROLES = frozenset(role for role in Role if role is not R.SYSTEM)
CLINIC_ROLES = SIGNED_IN_ROLES - {R.ADMIN}

# The audiences, narrowest meaning first. SIGNED_OUT carries no data by itself: error payloads
# and the answer to `login`. Shape types (connections, payloads) follow the operation's rule.
ANYONE = Audience(SIGNED_IN_ROLES, signed_out=True)
SIGNED_IN = of_roles(SIGNED_IN_ROLES)
CLINIC_STAFF = of_roles(CLINIC_ROLES)
# The consultation's assessments and plans, clinical details and corrections.
CLINICAL = of_roles(R.CONSULTANT, R.EXPERT, R.NURSE, R.SUPERVISOR)
# Everyone who looks after the client once treated: the clinicians and follow-up staff.
CARE_TEAM = of_roles(CLINICAL.roles, R.FOLLOW_UP_STAFF)
# Phone and e-mail: who registers, who owns the relationship, who calls.
CONTACT = of_roles(R.FRONT_DESK, R.CONSULTANT, R.FOLLOW_UP_STAFF, R.SUPERVISOR)
REGISTRARS = of_roles(R.FRONT_DESK, R.CONSULTANT, R.SUPERVISOR)
# The rotation board and log: the desk that runs it and the consultants it serves.
DESK_VIEW = of_roles(R.FRONT_DESK, R.CONSULTANT, R.SUPERVISOR)
DESK = of_roles(R.FRONT_DESK, R.SUPERVISOR)
SUPERVISORS = of_roles(R.SUPERVISOR)
# Whoever the client tells that a treated result is not holding up takes the warranty claim.
WARRANTY_DESK = of_roles(R.FRONT_DESK, R.CONSULTANT, R.FOLLOW_UP_STAFF, R.SUPERVISOR)
# Whoever answers the client's call about a complication between the scheduled calls: all who
# look after the client, and the desk (the cashier takes no clinical report).
COMPLICATION_CALL_TAKERS = of_roles(CARE_TEAM.roles, R.FRONT_DESK)
# Whoever the client tells of a complaint takes it down (seed 003 art. 20): the desk, the
# clinicians she meets before and after treatment, the callers, a supervisor; the doctor and
# the cashier hand her to one of them. They read the complaints they take, in her file too.
COMPLAINT_TAKERS = of_roles(R.FRONT_DESK, R.CONSULTANT, R.NURSE, R.FOLLOW_UP_STAFF, R.SUPERVISOR)
ADMINS = of_roles(R.ADMIN)
# A doctor's senior professional title (seed 004 三.4): the installation's administrators, who
# keep the accounts, and the clinic's supervisors, who know its doctors' titles.
TITLE_SETTERS = of_roles(R.ADMIN, R.SUPERVISOR)
# Money: who takes it and who oversees it (partner statements, partners' bank details).
MONEY_VIEW = of_roles(R.SUPERVISOR, R.CASHIER)
# The client file's clinical parts are written by those who take the history and check it
# before treatment; supervisors read them and correct entries, but record none themselves.
CLINICAL_RECORDERS = of_roles(R.CONSULTANT, R.EXPERT, R.NURSE)
# Money: bills, payments, refunds, what a client spent. The price list is everyone's to quote.
MONEY = of_roles(R.CASHIER, R.SUPERVISOR)


# Who may see a photo for each purpose (through a signed link, and only while the client
# consents to that purpose): the clinical record to the care team, anonymised teaching
# material to clinicians, marketing to supervisors, who run it.
PHOTO_VIEWERS: Mapping[PhotoPurpose, Audience] = {
    PhotoPurpose.CLINICAL_RECORD: CARE_TEAM,
    PhotoPurpose.TEACHING: CLINICAL,
    PhotoPurpose.MARKETING: SUPERVISORS,
}
PHOTO_VIEWING = of_roles(*(audience.roles for audience in PHOTO_VIEWERS.values()))
# Who takes photos, and who records what the client consents their photos may be used for.
PHOTOGRAPHERS = CLINICAL_RECORDERS
PHOTO_CONSENT_RECORDERS = of_roles(REGISTRARS.roles, CLINICAL.roles)


def rows(audience: Audience, names: str) -> dict[str, Audience]:
    return {name: audience for name in names.split()}


def takers_of(*actions: Action) -> Audience:
    return of_roles(*(ROLES[action] for action in actions))


ERROR_TYPES = ("Conflict", "NotAuthorized", "NotFound")
