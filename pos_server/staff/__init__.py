"""Staff members, their PINs and passwords, and how a request proves who sent it."""
