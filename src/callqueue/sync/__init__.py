"""Syncing the rep's store with the outside: one module per source, one public entry each
(`tracking.sync_tracking` for link clicks). Import the modules directly."""
