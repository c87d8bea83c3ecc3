"""The local store: schema migrations, connections, and the SQLModel tables."""
