"""Reports for managers: plan vs actual."""
