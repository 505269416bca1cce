"""Programme settings in one place (issue 18 point 4): the venue, the loyalty programme, the
promo programme and guest ordering, stored on the server, changed through an audited service,
read by the server's rules and sent to the tills through the change feed."""
