"""The change feed tills read, and the venue settings it carries."""
