"""The operator console: incoming guest orders, their workflow (seed 001) and history."""
