"""Card payments from the guest cabinet (issue 19 point 5): YooKassa API v3."""
