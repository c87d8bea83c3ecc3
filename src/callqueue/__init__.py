"""callqueue: who to call next, and why."""

__version__ = "0.1.0"
