"""Terminals: enrolment, tokens, revocation."""
