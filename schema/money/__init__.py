"""Money in the API: the `Money` type and the consultants' monthly figures."""
