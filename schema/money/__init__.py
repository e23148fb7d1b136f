"""Money in the API: the `Money` type, the price list, bills, payments, refunds, the client's
billing history and the consultants' monthly figures."""
