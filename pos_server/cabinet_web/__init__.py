"""The guest's web cabinet under ``/cabinet`` (issue 19): accounts (registration with the
phone confirmed by an SMS code, sign-in, sign-out, password recovery), the profile and the
history, on the web stack of ``pos_server.web``. Guests and staff are different principals:
their own table, session realm, throttle realm and cookie."""
