"""Outbox worker, HTTP transport, change-feed puller and reconciler."""
