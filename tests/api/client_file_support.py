"""Documents and helpers of the client-file tests: record, correct and read a client's file."""

from __future__ import annotations

import uuid
from typing import Any

from domain.roles import Role
from tests.api.flow import JourneyDriver

ENTRY_META = (
    "id recordedAt recordedAtLocal authorId authorRole amendsId reason amendedById inForce"
    " enteredInError { reason authorId authorRole at atLocal }"
)
FIELDS = {
    "MedicalHistoryEntry": "topic description treatment treatedOn effect",
    "AllergyEntry": "substance reaction severity",
    "MedicationEntry": "name dose since stoppedOn note",
    "PregnancyStatusEntry": "pregnant lactating statedOn note",
    "ServiceCardEntry": "section note minutes occurredOn askAboutResults",
}


def _fragment(entry_type: str) -> str:
    return f"... on {entry_type} {{ __typename {ENTRY_META} {FIELDS[entry_type]} }}"


ENTRY = " ".join(_fragment(t) for t in FIELDS)
RESULT = f"""
    __typename
    ... on ClientEntryPayload {{ entry {{ {ENTRY} }} }}
    ... on UserError {{ code message }}
    ... on ValidationFailed {{ problems {{ field message }} }}
"""


def entry_mutation(name: str, input_type: str) -> str:
    return f"""
mutation Write($input: {input_type}!) {{
  {name}(input: $input) {{ {RESULT} }}
}}
"""


RECORD_MEDICAL_HISTORY = entry_mutation("recordMedicalHistory", "RecordMedicalHistoryInput")
RECORD_ALLERGY = entry_mutation("recordAllergy", "RecordAllergyInput")
RECORD_MEDICATION = entry_mutation("recordMedication", "RecordMedicationInput")
RECORD_PREGNANCY_STATUS = entry_mutation("recordPregnancyStatus", "RecordPregnancyStatusInput")
ADD_SERVICE_CARD_ENTRY = entry_mutation("addServiceCardEntry", "AddServiceCardEntryInput")
AMEND_CLIENT_ENTRY = entry_mutation("amendClientEntry", "AmendClientEntryInput")
MARK_ENTERED_IN_ERROR = entry_mutation("markEnteredInError", "MarkEnteredInErrorInput")

AMEND_CLIENT_IDENTITY = """
mutation Amend($input: AmendClientIdentityInput!) {
  amendClientIdentity(input: $input) {
    __typename
    ... on ClientPayload { client { id fullName } }
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
  }
}
"""


def _part(name: str, entry_type: str) -> str:
    edges = f"edges {{ cursor node {{ {_fragment(entry_type)} }} }}"
    page = f"{edges} pageInfo {{ hasNextPage endCursor }}"
    return f"""
    {name} {{
      __typename
      ... on {entry_type}Connection {{ {page} }}
      ... on ValidationFailed {{ problems {{ field message }} }}
    }}"""


def file_query(*parts: tuple[str, str]) -> str:
    """Reads the named parts, each (field, entry type), of one client."""
    fields = "".join(_part(name, entry_type) for name, entry_type in parts)
    return f"""
query File($id: ID!) {{
  client(id: $id) {{
    __typename
    ... on Client {{ {fields} }}
  }}
}}
"""


CLINICAL_PARTS = (
    ("medicalHistory", "MedicalHistoryEntry"),
    ("allergies", "AllergyEntry"),
    ("medications", "MedicationEntry"),
    ("pregnancyStatements", "PregnancyStatusEntry"),
)
FILE = file_query(*CLINICAL_PARTS, ("serviceCard", "ServiceCardEntry"))
ALLERGIES = file_query(("allergies", "AllergyEntry"))
SERVICE_CARD = file_query(("serviceCard", "ServiceCardEntry"))
PREGNANCY = f"""
query Pregnancy($id: ID!) {{
  client(id: $id) {{
    ... on Client {{ pregnancyStatus {{ {_fragment("PregnancyStatusEntry")} }} }}
  }}
}}
"""
IDENTITY = """
query Identity($id: ID!) {
  client(id: $id) {
    ... on Client {
      fullName phone email
      identityHistory { fullName phone email reason authorId at atLocal }
    }
  }
}
"""
EXPORT_CLIENT_FILE = """
mutation Export($input: ExportClientFileInput!) {
  exportClientFile(input: $input) {
    __typename
    ... on ClientFileExportPayload { file fhirBundle }
    ... on UserError { code message }
  }
}
"""

ALLERGY = {"substance": "lidocaine", "reaction": "hives on the neck", "severity": "MODERATE"}


def new_key() -> str:
    return f"file-{uuid.uuid4().hex}"


async def write(driver: JourneyDriver, document: str, role: Role, **input: Any) -> dict[str, Any]:
    """Runs an entry mutation; answers its result, whichever member it is."""
    data = await driver.api.run(document, driver.token(role), input=input)
    (result,) = data.values()
    return result  # type: ignore[no-any-return]


async def entry(driver: JourneyDriver, document: str, role: Role, **input: Any) -> dict[str, Any]:
    result = await write(driver, document, role, **input)
    assert result["__typename"] == "ClientEntryPayload", result
    return result["entry"]  # type: ignore[no-any-return]


async def nodes(
    driver: JourneyDriver, client_id: str, part: str, role: Role = Role.EXPERT
) -> list[dict[str, Any]]:
    """Every entry of one part, oldest first, as `role` reads it."""
    data = await driver.api.run(FILE, driver.token(role), id=client_id)
    return [edge["node"] for edge in data["client"][part]["edges"]]


async def export_file(driver: JourneyDriver, client_id: str, key: str) -> dict[str, Any]:
    """The client's own copy, as a supervisor exports it under `key`: the file and its Bundle."""
    result = await write(
        driver, EXPORT_CLIENT_FILE, Role.SUPERVISOR, clientId=client_id, idempotencyKey=key
    )
    assert result["__typename"] == "ClientFileExportPayload", result
    return result
