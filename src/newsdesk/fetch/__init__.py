"""fetch stage: lands with its issue."""
