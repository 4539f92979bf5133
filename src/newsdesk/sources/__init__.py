"""Sources stage: where records come from (for now, the seed system's files)."""
