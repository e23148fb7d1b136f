"""The partner documents and the salon the partner API tests share."""

REGISTER = """
mutation Register($input: RegisterPartnerInput!) {
  registerPartner(input: $input) {
    __typename
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
    ... on RegisterPartnerPayload {
      partner { id name version bankDetails premisesPhotoIds missingMaterials reportedAt
                deadlines { milestone dueAt lapsed } }
    }
  }
}"""
STATEMENT = """
query Statement($partnerId: ID!, $month: String!) {
  partnerStatement(partnerId: $partnerId, month: $month) {
    __typename
    ... on UserError { code message }
    ... on PartnerStatement {
      month partner { name version }
      lines { journeyId itemKind rule priceSold { amount currency } base { amount currency }
              partnerShare { amount currency } }
      totalSold { amount currency } totalPartnerShare { amount currency } csv
    }
  }
}"""
SALON = {"name": "Salon Róża", "agreementReference": "AG-2026-17", "premisesPhotoIds": ["ph-1"]}
