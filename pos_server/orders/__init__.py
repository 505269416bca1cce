"""Guest orders: the service, listing, the order stream and its fan-out."""
