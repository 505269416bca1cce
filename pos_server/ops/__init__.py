"""The operations endpoint's engine: one transaction per operation, verdicts stored and replayed."""
