"""Fair triage: the rotation desk ("轮牌"), first-consultant ownership and revenue credit (004)."""
