"""The client journey: its stages, the state table, the role table and the pure rules around them."""
