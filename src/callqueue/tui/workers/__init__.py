"""Background workers of the TUI (each in its own module)."""
