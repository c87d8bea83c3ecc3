"""Background work the app runs beside its screens (one module per job)."""
