"""Money in the API: the price list, bills, payments, refunds and the client's billing history."""
