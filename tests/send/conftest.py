"""The send tests use the suite's servers (tests/servers/fixtures.py): smtp_server,
dovecot and mailbox, oauth_server, and the tracker (tests/servers/tracker.py)."""
