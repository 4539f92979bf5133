"""web stage: lands with its issue."""
