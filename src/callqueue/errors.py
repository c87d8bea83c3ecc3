"""Errors a user can cause and fix. The CLI prints them as one line and exits 2."""


class UserError(Exception):
    """A mistake the user can fix: the message names the problem and what to do."""

    exit_code = 2


class ConfigError(UserError):
    """The configuration file or one of its values is wrong."""


class StoreError(UserError):
    """The store cannot be opened or used (missing, locked, newer than this program)."""


class NotFoundError(UserError):
    """A contact, message or other record named by the user does not exist."""


class AmbiguousError(UserError):
    """A name prefix matched several records; the message lists them."""
