"""The client journey: stages, the state and role tables, and the pure rules around them."""
