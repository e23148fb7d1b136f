"""A clinic's money settings: currency, locale for people, discount threshold, payment policy."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.money.catalog import BillingSettings as Settings
from domain.money.catalog import PaymentPolicy
from domain.money.formatting import known_locale
from domain.money.money import in_use
from domain.store import records
from domain.store.billing import ClinicBilling
from schema import idempotency
from schema.context import Context
from schema.errors import Conflict, NotAuthorized, ValidationFailed, not_authorized
from schema.money.common import billing_settings, invalid

strawberry.enum(PaymentPolicy, name="PaymentPolicy")


@strawberry.type(description="Your clinic's money settings.")
class BillingSettings:
    currency: str = strawberry.field(description="ISO 4217 code of prices and bills.")
    locale: str = strawberry.field(description="How amounts are written for people, e.g. pl_PL.")
    discount_threshold_percent: int = strawberry.field(
        description="A discount above this share of a bill needs a supervisor."
    )
    payment_policy: PaymentPolicy = strawberry.field(description="When the payment stage passes.")

    @classmethod
    def of(cls, settings: Settings) -> BillingSettings:
        return cls(
            currency=settings.currency,
            locale=settings.locale,
            discount_threshold_percent=settings.discount_threshold_percent,
            payment_policy=settings.payment_policy,
        )


@strawberry.input(description="New money settings for your clinic (new bills follow them).")
class SetBillingSettingsInput:
    currency: str = strawberry.field(description="ISO 4217 code, e.g. EUR or PLN.")
    locale: str = strawberry.field(description="A CLDR locale, e.g. pl_PL, de_DE, en_GB.")
    discount_threshold_percent: int = strawberry.field(description="0 to 100.")
    payment_policy: PaymentPolicy = strawberry.field(
        description="FULL: the whole bill (or an agreed plan) moves the journey on; DEPOSIT: a "
        "deposit does, and the rest is due before treatment starts."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="The settings now in force.")
class BillingSettingsPayload:
    settings: BillingSettings = strawberry.field(description="The clinic's settings.")


SetBillingSettingsResult = Annotated[
    BillingSettingsPayload | NotAuthorized | ValidationFailed | Conflict,
    strawberry.union("SetBillingSettingsResult", description="Set, or why not."),
]


async def set_billing_settings(
    info: Info[Context, None], input: SetBillingSettingsInput
) -> SetBillingSettingsResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    problems = []
    if not in_use(input.currency):
        problems.append(
            FieldProblem("currency", "an ISO 4217 code such as EUR or PLN", Code.UNKNOWN_VALUE)
        )
    if len(input.locale) > 32 or not known_locale(input.locale):
        problems.append(FieldProblem("locale", "a known locale such as pl_PL", Code.UNKNOWN_VALUE))
    if not 0 <= input.discount_threshold_percent <= 100:
        problems.append(FieldProblem("discountThresholdPercent", "0 to 100", Code.OUT_OF_RANGE))
    if problems:
        return invalid(problems)

    bad_key = records.key_problem(idempotency.key_of(input))
    if bad_key:
        return invalid([bad_key])
    values = {
        "currency": input.currency,
        "locale": input.locale,
        "discount_threshold_percent": input.discount_threshold_percent,
        "payment_policy": input.payment_policy.value,
    }

    async def replace() -> None:
        await ClinicBilling.update_or_create(clinic_id=claims.clinic_id, defaults=values)

    refused = await idempotency.replace_setting(
        info, claims.account_id, input, claims.clinic_id, replace
    )
    if refused is not None:
        return refused
    settings = await billing_settings(claims.clinic_id)
    return BillingSettingsPayload(settings=BillingSettings.of(settings))


async def billing_settings_query(info: Info[Context, None]) -> BillingSettings | None:
    claims = info.context.claims
    if claims is None:
        return None
    return BillingSettings.of(await billing_settings(claims.clinic_id))
