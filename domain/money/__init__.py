"""Money: exact amounts with their currency, the price list's kinds, bills, payments, refunds."""
