"""Corrections of the identity page (name, phone, e-mail), checked and put in one form.

Phone numbers are kept in international form, as the `phonenumbers` library (Google's
libphonenumber metadata) writes them: "+48 600 100 200". A number must carry its country code,
since one clinic's clients come from several countries and a bare local number is ambiguous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from domain.errors import FieldProblem, FieldProblemCode
from domain.text import has_visible_text, one_line, unreadable_problem

MAX_NAME = 200
MAX_PHONE = 40  # the column's width
MAX_EMAIL = 200
MAX_REASON = 1000
# Deliberately loose (the mailbox's server decides): one @, no spaces, a dot in the domain.
BOTH_EMAIL = "either a new e-mail or its removal, not both"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Identity:
    full_name: str
    phone: str | None
    email: str | None


def international_phone(text: str) -> str | FieldProblem:
    """The number in international form, or why it is not one."""
    try:
        number = phonenumbers.parse(text.strip(), None)
    except phonenumbers.NumberParseException:
        return FieldProblem(
            "phone",
            "international form with the country code, e.g. +48 ...",
            FieldProblemCode.BAD_FORMAT,
        )
    if not phonenumbers.is_valid_number(number):
        return FieldProblem(
            "phone", "not a valid phone number for its country code", FieldProblemCode.BAD_FORMAT
        )
    written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    if len(written) > MAX_PHONE:  # a long extension ("ext. 1234...") makes it longer
        return FieldProblem(
            "phone",
            f"at most {MAX_PHONE} characters in international form",
            FieldProblemCode.TOO_LONG,
        )
    return written


def corrected_identity(
    current: Identity,
    *,
    full_name: str | None,
    phone: str | None,
    email: str | None,
    reason: str,
    clear_email: bool = False,
) -> Identity | list[FieldProblem]:
    """The identity after the correction; a field not given stays as it is, and the e-mail,
    the one optional field, may be removed (`clear_email`). A correction must say why
    (whether it changes anything is `changes_nothing`'s question: the answer depends
    on the file as it stands, so a retry of a correction already made asks it last)."""
    problems: list[FieldProblem] = []
    name_after, phone_after, email_after = current.full_name, current.phone, current.email
    if full_name is not None:
        if not has_visible_text(full_name):
            problems.append(
                FieldProblem("fullName", "required when given", FieldProblemCode.REQUIRED)
            )
        elif len(full_name) > MAX_NAME:
            problems.append(
                FieldProblem(
                    "fullName", f"at most {MAX_NAME} characters", FieldProblemCode.TOO_LONG
                )
            )
        elif unreadable := unreadable_problem(full_name):
            problems.append(FieldProblem("fullName", unreadable, FieldProblemCode.BAD_FORMAT))
        else:
            name_after = one_line(full_name)
    if phone is not None:
        checked = international_phone(phone)
        if isinstance(checked, FieldProblem):
            problems.append(checked)
        else:
            phone_after = checked
    if email is not None:
        if len(email) > MAX_EMAIL or not _EMAIL.fullmatch(email.strip()):
            problems.append(
                FieldProblem("email", "not an e-mail address", FieldProblemCode.BAD_FORMAT)
            )
        else:
            email_after = email.strip()
    if clear_email:
        if email is not None:
            problems.append(FieldProblem("clearEmail", BOTH_EMAIL, FieldProblemCode.INCONSISTENT))
        email_after = None
    if not reason.strip():
        problems.append(FieldProblem("reason", "required", FieldProblemCode.REQUIRED))
    elif len(reason) > MAX_REASON:
        problems.append(
            FieldProblem("reason", f"at most {MAX_REASON} characters", FieldProblemCode.TOO_LONG)
        )
    return problems or Identity(name_after, phone_after, email_after)


def changes_nothing(current: Identity, after: Identity) -> FieldProblem | None:
    if after == current:
        return FieldProblem(
            "input", "changes nothing: give a new name, phone or e-mail", FieldProblemCode.INVALID
        )
    return None
