"""After-care rules: follow-up tasks, the phone survey and warranties (pure, no I/O)."""
