"""Qt widgets and view models; talks to services only."""
