"""HTTP routes and the wire format, kept thin over the services."""
