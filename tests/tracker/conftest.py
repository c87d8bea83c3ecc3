"""Fixtures of the tracker's tests: the real service and a real PostgreSQL."""

from tests.servers.postgres import pg_url, postgres_server
from tests.servers.tracker import tracker, tracker_store

__all__ = ["pg_url", "postgres_server", "tracker", "tracker_store"]
