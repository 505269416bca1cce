"""The first-run wizard: connect a new till to its server, fetch the venue, test devices."""
