"""Review orchestration and the findings contract."""
