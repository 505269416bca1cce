"""What the first-run wizard says when a step fails: one sentence with what to do, per reason
(``pos_app.services.first_run.REASONS``), in the installer's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def failure_text(reason: str, detail: str) -> str:
    """The sentence for ``reason``; ``detail`` (English, from the server or the system) is
    added where it helps."""
    texts = {
        "bad_link": QCoreApplication.translate(
            "SetupTexts",
            "This is not a Tillkeeper enrolment code. Scan the QR code the back "
            "office shows for this till, or type the server's address and the "
            "code below.",
        ),
        "bad_url": QCoreApplication.translate(
            "SetupTexts",
            "The server's address must look like https://server.example:8765. "
            "Check it with whoever runs the server.",
        ),
        "plain_http": QCoreApplication.translate(
            "SetupTexts",
            "This address starts with http://, so the till's token and managers' "
            "PINs would cross the network unencrypted. Use the server's https:// "
            "address, or, on a network you trust, tick “Allow unencrypted "
            "http://”.",
        ),
        "ca_missing": QCoreApplication.translate(
            "SetupTexts",
            "The certificate file does not exist. Choose the server's CA "
            "certificate (a .pem file) or leave the field empty.",
        ),
        "unreachable": QCoreApplication.translate(
            "SetupTexts",
            "The server does not answer. Check the address and the port, that "
            "the server is running and that this computer is on the network, "
            "then press Connect again.",
        ),
        "server_error": QCoreApplication.translate(
            "SetupTexts",
            "Something at this address answered, but not as a Tillkeeper server does. Check the "
            "address and the port; if they are right, the server has a problem: give its "
            "administrator the answer below.",
        ),
        "tls": QCoreApplication.translate(
            "SetupTexts",
            "The server's certificate was not accepted. If the venue uses its own "
            "certificate, give its CA file (.pem) under “CA certificate”; "
            "otherwise check the address.",
        ),
        "code_unknown": QCoreApplication.translate(
            "SetupTexts",
            "The server does not know this enrolment code, or it has been used "
            "already. Check the code, or ask for a new one (pos-server terminal "
            "add NAME).",
        ),
        "code_expired": QCoreApplication.translate(
            "SetupTexts",
            "This enrolment code has expired. Ask for a new one (pos-server "
            "terminal add NAME) and enter it.",
        ),
        "terminal_revoked": QCoreApplication.translate(
            "SetupTexts",
            "This terminal has been revoked on the server. Add it again there for a new code.",
        ),
        "token_store": QCoreApplication.translate(
            "SetupTexts",
            "The till's token could not be kept. Check that this user may write "
            "to the data folder, then press Connect again.",
        ),
        "already_enrolled": QCoreApplication.translate(
            "SetupTexts",
            "This data folder is already enrolled with a server. Close "
            "this window and start the till again.",
        ),
        "has_operations": QCoreApplication.translate(
            "SetupTexts",
            "This data folder already holds sales of another terminal. Start "
            "the till with a new data folder (--data-dir) to enrol it.",
        ),
        "server_refused": QCoreApplication.translate(
            "SetupTexts",
            "The server refused the enrolment. Give the administrator the server's answer below.",
        ),
        "feed_failed": QCoreApplication.translate(
            "SetupTexts",
            "The till is enrolled, but the venue's data could not be fetched. "
            "Press Retry; once running, the till also fetches it by itself.",
        ),
    }
    sentence = texts.get(reason)
    if sentence is None:
        return QCoreApplication.translate("SetupTexts", "Something went wrong: %1").replace(
            "%1", detail
        )
    if reason in ("server_refused", "server_error", "token_store", "feed_failed", "tls"):
        return f"{sentence}\n({detail})"
    return sentence
