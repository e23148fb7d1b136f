"""Money rules that need no I/O: the partner revenue split (seed 003) and consultant credit."""
