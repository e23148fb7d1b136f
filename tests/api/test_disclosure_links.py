"""From a disclosure of the client's file, listed or just recorded, the supervisor opens the
consent it stood on: `FileDisclosure.signatureId` is the id `consentDocument` takes
(`consentId` is the raw id the client's copy names, which `consentDocument` does not find)."""

from __future__ import annotations

from domain.roles import Role
from tests.api import test_file_disclosures as disclosures
from tests.api.flow import JourneyDriver

LISTED = """
query Listed($clientId: ID!) {
  client(id: $clientId) { ... on Client { consents { id kind } } }
  fileDisclosures(clientId: $clientId) {
    ... on FileDisclosureConnection { edges { node { id signatureId } } }
  }
}
"""
DOCUMENT = """
query Document($id: ID!) {
  consentDocument(id: $id) {
    __typename
    ... on ConsentDocument { signature { id kind } hashMatches }
    ... on UserError { code message }
  }
}
"""


async def test_a_disclosure_names_the_consent_the_document_opens(driver: JourneyDriver) -> None:
    # Given a client who signed a DATA_SHARING consent, and a disclosure of her file on it
    client_id, jid = await disclosures._client_at_consent(driver)
    await disclosures._sign_sharing(driver, jid)
    made = await disclosures._record(driver, Role.SUPERVISOR, disclosures._disclosure(client_id))
    assert made["__typename"] == "FileDisclosurePayload", made
    # When the supervisor lists the disclosures and opens the consent of the one listed
    listed = await driver.api.run(LISTED, driver.token(Role.SUPERVISOR), clientId=client_id)
    (edge,) = listed["fileDisclosures"]["edges"]
    opened = await driver.api.run(
        DOCUMENT, driver.token(Role.SUPERVISOR), id=edge["node"]["signatureId"]
    )
    # Then it is the consent her file lists, the document as signed
    (consent,) = listed["client"]["consents"]
    assert edge["node"]["signatureId"] == consent["id"]
    document = opened["consentDocument"]
    assert document["__typename"] == "ConsentDocument", document
    assert document["signature"] == {"id": consent["id"], "kind": "DATA_SHARING"}
    assert document["hashMatches"] is True
