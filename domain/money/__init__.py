"""Money: exact amounts with their currency, the price list's kinds, bills, payments, refunds,
and the rules that need no I/O: the partner revenue split (seed 003) and consultant credit."""
