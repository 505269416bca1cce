"""Central server: guests, ledger, catalogue, guest orders, change feed, web cabinet."""
