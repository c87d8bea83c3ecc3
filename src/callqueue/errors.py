"""Errors a user can cause and fix. The CLI prints them as one line and exits 2."""


class UserError(Exception):
    """A mistake the user can fix: the message names the problem and what to do."""

    exit_code = 2


class ConfigError(UserError):
    """The configuration file or one of its values is wrong."""


class StoreError(UserError):
    """The store cannot be opened or used (missing, locked, newer than this program)."""


class ReadOnlyStoreError(StoreError):
    """The store can be read but not written (a read-only file, folder or file system).

    Raised before anything is written or any server is contacted, so the faces can say
    so (the TUI's sync key shows it instead of "nothing to sync")."""


class NotFoundError(UserError):
    """A contact, message or other record named by the user does not exist."""


class AmbiguousError(UserError):
    """A name prefix matched several records; the message lists them."""
