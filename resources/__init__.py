"""Package data: example experiments, icons (mapped to playground.resources)."""
