"""Mutations: signing in and out, the administrator's clinics and accounts."""

from __future__ import annotations

import strawberry

from schema.admin import clinics
from schema.admin import mutations as admin
from schema.staff import account, titles
from schema.staff.mutations import LoginResult, login


@strawberry.type
class AccountMutations:
    login: LoginResult = strawberry.mutation(
        resolver=login, description="Sign in; failed attempts are throttled."
    )
    logout: account.LogoutResult = strawberry.mutation(
        resolver=account.logout, description="Sign out this token, or every token of yours."
    )
    change_password: account.ChangePasswordResult = strawberry.mutation(
        resolver=account.change_password,
        description="A new password; every token of yours is signed out.",
    )
    create_clinic = strawberry.mutation(
        resolver=clinics.create_clinic, description="Administrator: a new clinic."
    )
    create_staff_account = strawberry.mutation(
        resolver=admin.create_staff_account,
        description="Administrator: a new account with a temporary password.",
    )
    update_staff_account = strawberry.mutation(
        resolver=admin.update_staff_account,
        description="Administrator: role, display name, active. A new role or deactivation "
        "signs the account out everywhere.",
    )
    reset_staff_password = strawberry.mutation(
        resolver=admin.reset_staff_password,
        description="Administrator: a temporary password the account must change; signs it out.",
    )
    set_senior_title: titles.SeniorTitleResult = strawberry.mutation(
        resolver=titles.set_senior_title,
        description="Administrator or supervisor: a doctor's senior professional title (seed "
        "004 三.4: only such a doctor starts a complex procedure), or none.",
    )
