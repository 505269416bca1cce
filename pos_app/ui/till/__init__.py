"""The till screen's widgets: sign-in, catalogue, basket, totals, guest panel, payment, status."""
