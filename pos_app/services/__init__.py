"""Use cases the UI calls; each is one unit of work that also writes its outbox rows."""
