"""The back office (issue 18): server-rendered pages under ``/admin`` on the web stack of
``pos_server.web``. Pages parse forms, check the signed-in member's permission and call the
server's services (staff, terminals, guest groups) in a unit of work; they hold no rules and
no SQL. docs/backoffice.md describes it, its security and what is not done yet.
"""
