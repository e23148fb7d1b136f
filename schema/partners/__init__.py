"""Partner salons (市场部): registration, deadlines and monthly statements."""
