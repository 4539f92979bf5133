"""enrich stage: lands with its issue."""
