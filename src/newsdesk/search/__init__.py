"""search stage: lands with its issue."""
