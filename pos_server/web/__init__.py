"""The web stack every server-rendered page uses (the back office, ``pos_server.admin_web``;
the guest cabinet next): Jinja2 templates, Russian and English through gettext catalogues
(Babel), server-side sessions in the database, CSRF tokens, sign-in throttling, security
headers and the static files (htmx, shipped with the package: no CDN).

Nothing here knows staff or guests: a realm names whose sessions and failures they are.
"""
