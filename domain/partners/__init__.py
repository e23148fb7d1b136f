"""Partner salons (市场部, seed 003): registration, deadlines and what they are owed."""
