"""Canary markers for every free-text input of the API, found by walking the introspected schema.

A `Canary` fills each String (and JSON) field of a mutation's input with a marker of its own,
`canary-<run>-<n>`, unless the test gives the field a value or the field is a code or an id
(`CODES`, each with the reason it may travel to Temporal). What it marked is what the scan
then looks for; what the schema has is what it must have marked.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

from graphql import (
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    build_client_schema,
    get_introspection_query,
    get_named_type,
    is_list_type,
    is_non_null_type,
)

from tests.api.harness import Api

FREE_TEXT_SCALARS = frozenset({"String", "JSON"})

# String inputs that are codes or ids, not free text, and why they may reach Temporal.
ANY_MUTATION = {
    "idempotencyKey": "an id the client generates for a retry; Temporal gets an update id "
    "derived from it, never the key (the scan looks for both)",
}
CODES = {
    "recordConsultation.input.plans.currency": "ISO 4217 code, checked as three capitals",
    "completeExpertReview.input.finalPlan.currency": "ISO 4217 code, the journey bills in it",
    "recordPayment.input.currency": "ISO 4217 code, the journey sums payments in it",
    "completeFollowUp.input.followUpId": "the journey's own follow-up id (fu-1), checked as such",
    "reportComplication.input.followUpId": "the journey's own follow-up id, checked as such",
    "claimWarranty.input.warrantyNumber": "the number the clinic printed on the card",
    "autoAssign.input.items": "item codes asked for, each checked as one word (no space, no @)",
    "updateTriageSeat.input.scope": "item codes a consultant receives, checked as words",
    "setRotationPolicy.input.offeredItems": "item codes the clinic offers, checked as words",
    "setRotationPolicy.input.keyItems": "item codes of the month's key items, checked as words",
    "setRotationPolicy.input.majorItems": "item codes that decide for several, checked as words",
    "setRotationPolicy.input.surgicalItems": "item codes of surgery, checked as words",
    "createClinic.input.timezone": "an IANA zone name, checked against the zone database",
    "publishConsentTemplate.input.texts.language": "a language code (pl, ru, zh, en), checked",
    "signSharingConsent.input.templateId": "a published template's key, checked against the "
    "clinic's templates (the signature keeps the version's id)",
    "signSharingConsent.input.templateVersion": "a version number of that template, checked",
    "signSharingConsent.input.language": "a language code the template offers, checked",
    "overrideContraindication.input.reasonKey": "a code the API named (the reason's code and the "
    "ids of the item and the entry), checked against the plan; kept in the database only",
    **{
        f"{path}.language": "a language code (pl, ru, zh, en), checked"
        for path in (
            "setProcedureType.input.names",
            "setProcedureType.input.discomfort",
            "setProcedureType.input.warranty.terms",
            "handOver.input.discomfort",
        )
    },
    "setProcedureType.input.checklist.code": "a checklist item's code, checked as a code",
    "setProcedureType.input.photoSchedule.code": "a photo point's code, checked as a code",
    "completeChecklistItem.input.itemCode": "a code of the journey's checklist, checked",
    "recordConsultation.input.plans.procedureType": "a procedure type key of the clinic",
    "completeExpertReview.input.finalPlan.procedureType": "a procedure type key, checked "
    "against the clinic's types (its version's id is what the journey keeps)",
    "setBillingSettings.input.currency": "ISO 4217 code, checked against the ISO list",
    "setBillingSettings.input.locale": "a CLDR locale name, checked against Babel's data",
    "setPriceListItem.input.listPrice.currency": "ISO 4217 code, the clinic's own",
    "setPriceListItem.input.specialPrice.currency": "ISO 4217 code, the clinic's own",
    "setPriceListItem.input.consumableCost.currency": "ISO 4217 code, the clinic's own",
    "createBill.input.discount.amount.currency": "ISO 4217 code, the bill's own",
    "recordRefund.input.amount.currency": "ISO 4217 code, the journey sums payments in it",
}
# Free text that is checked and never stored (credentials): marked, but not found in the
# database either, so it cannot serve as its own positive control there.
NEVER_STORED = frozenset(
    {
        "login.input.username",
        "login.input.password",
        "createStaffAccount.input.temporaryPassword",
        "resetStaffPassword.input.temporaryPassword",
        "changePassword.input.currentPassword",
        "changePassword.input.newPassword",
    }
)


def _unwrap(type_: Any) -> Any:
    return type_.of_type if is_non_null_type(type_) else type_


def is_code(path: str) -> bool:
    return path in CODES or path.rsplit(".", 1)[-1] in ANY_MUTATION


def free_text_paths(schema: GraphQLSchema) -> set[str]:
    """Every String or JSON input of every mutation, as `mutation.arg.field.field`."""
    assert schema.mutation_type is not None

    def walk(type_: Any, path: str, depth: int) -> Iterator[str]:
        named = get_named_type(type_)
        if isinstance(named, GraphQLScalarType) and named.name in FREE_TEXT_SCALARS:
            yield path
        elif isinstance(named, GraphQLInputObjectType) and depth < 8:
            for name, field in named.fields.items():
                yield from walk(field.type, f"{path}.{name}", depth + 1)

    return {
        path
        for name, field in schema.mutation_type.fields.items()
        for arg, argument in field.args.items()
        for path in walk(argument.type, f"{name}.{arg}", 0)
    }


async def introspected(api: Api) -> GraphQLSchema:
    """The schema as the running server tells it to any client."""
    return build_client_schema(await api.run(get_introspection_query(descriptions=False)))


class Canary:
    """Markers of one run, by input path; the same path always gets the same marker."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self.run = uuid.uuid4().hex[:12]
        self.prefix = f"canary-{self.run}"
        # What the scan looks for, by input path.
        self.marked: dict[str, str] = {}
        # Inputs with a format of their own: what is typed around the marker.
        self._typed: dict[str, Callable[[str], str]] = {
            "registerClient.input.phone": lambda digits: f"+48 {digits}",
            "registerClient.input.email": lambda marker: f"{marker}@example.com",
        }
        # A corrected phone is kept in international form: typed in that form, it is stored as
        # typed (a Polish mobile number, +48 79x xxx xxx, the rest from this run).
        digits = str(uuid.uuid4().int)[:7]
        amended_phone = f"+48 79{digits[0]} {digits[1:4]} {digits[4:]}"
        self._typed["amendClientIdentity.input.email"] = lambda marker: f"{marker}@example.com"
        self._special = {
            "registerClient.input.phone": "7" + str(uuid.uuid4().int)[:8],
            "amendClientIdentity.input.phone": amended_phone,
            # A drawn signature is SVG path data: numbers of this run, checked as path data.
            "signConsent.input.signature.data": f"M{uuid.uuid4().int % 10**12} 7 L9 {digits}",
            "confirmBill.input.signature.data": f"M{uuid.uuid4().int % 10**12} 8 L9 {digits}",
            "signSharingConsent.input.signature.data": (
                f"M{uuid.uuid4().int % 10**12} 9 L9 {digits}"
            ),
        }

    def marker(self, path: str) -> str:
        """The value typed into `path`; it contains the path's marker (`marked[path]`)."""
        if path not in self.marked:
            # Fixed width: no marker is a part of another (as "-1" would be of "-12").
            fresh = f"{self.prefix}-{len(self.marked) + 1:03d}"
            self.marked[path] = self._special.get(path, fresh)
        return self._typed.get(path, lambda marker: marker)(self.marked[path])

    def fill(self, mutation: str, given: dict[str, Any]) -> dict[str, Any]:
        """The mutation's `input`: what the test gave, every other free-text field marked."""
        assert self.schema.mutation_type is not None
        input_type = _unwrap(self.schema.mutation_type.fields[mutation].args["input"].type)
        return self._fill(input_type, given, f"{mutation}.input")

    def _fill(self, type_: GraphQLInputObjectType, given: dict[str, Any], path: str) -> Any:
        filled = dict(given)
        for name, field in type_.fields.items():
            where, field_type = f"{path}.{name}", _unwrap(field.type)
            named = get_named_type(field_type)
            if name in given:
                filled[name] = self._fill_value(field_type, given[name], where)
            elif isinstance(named, GraphQLScalarType) and named.name in FREE_TEXT_SCALARS:
                if not is_code(where):
                    filled[name] = self._text(named.name, is_list_type(field_type), where)
            elif isinstance(named, GraphQLInputObjectType) and is_non_null_type(field.type):
                filled[name] = self._fill_value(
                    field_type, [{}] if is_list_type(field_type) else {}, where
                )
        return filled

    def _fill_value(self, type_: Any, value: Any, path: str) -> Any:
        named = get_named_type(type_)
        if not isinstance(named, GraphQLInputObjectType):
            return value
        if isinstance(value, list):
            return [self._fill(named, item, path) for item in value]
        return self._fill(named, value, path) if isinstance(value, dict) else value

    def _text(self, scalar: str, listed: bool, path: str) -> Any:
        marker = self.marker(path)
        value: Any = {"canary": marker} if scalar == "JSON" else marker
        return [value] if listed else value

    def document(self, mutation: str, select: str) -> str:
        """`mutation(input:)` with its typename, the errors its union can hold, and `select`."""
        assert self.schema.mutation_type is not None
        field = self.schema.mutation_type.fields[mutation]
        input_type = field.args["input"].type
        members = _members(field.type)
        errors = " ... on UserError { code message }" if "NotAuthorized" in members else ""
        if "ValidationFailed" in members:
            errors += " ... on ValidationFailed { problems { field message } }"
        return (
            f"mutation Canary($input: {input_type}) {{ {mutation}(input: $input) "
            f"{{ __typename{errors} {select} }} }}"
        )


def _members(type_: Any) -> set[str]:
    named = get_named_type(type_)
    if isinstance(named, GraphQLUnionType):
        return {member.name for member in named.types}
    return {named.name} if isinstance(named, GraphQLObjectType) else set()
