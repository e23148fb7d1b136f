"""The Query, Mutation and Subscription roots, one module per area; schema.build joins them."""
