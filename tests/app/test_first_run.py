"""When ``pos-app till`` shows the first-run wizard, and the wizard's port on a data folder:
a QR link typed in a Russian keyboard layout, a server whose certificate is not trusted, a CA
file that is missing; the data folder on Windows."""

from __future__ import annotations

import http.server
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.commands import first_run, store_factory
from pos_app.commands.first_run import OFFLINE_KEY, needs_setup
from pos_app.commands.first_run_setup import DataFolderSetup
from pos_app.commands.store_factory import data_dir, open_till_store
from pos_app.commands.sync_runtime import TERMINAL_KEY
from pos_app.commands.till_app import _first_run, parse_args
from pos_app.domain.enrol_link import EnrolLink, format_enrol_link
from pos_app.services.first_run import SetupFailed
from tests.tls_certs import make_tls_files

US_TO_RU = str.maketrans(
    "`qwertyuiop[]asdfghjkl;'zxcvbnm,./" + '~QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?' + "@#$^&|",
    "ёйцукенгшщзхъфывапролджэячсмитьбю." + "ЁЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ," + '"№;:?/',
)


def test_the_wizard_is_due_for_a_new_or_never_enrolled_till_only(tmp_path: Path) -> None:
    folder = tmp_path / "till"
    assert needs_setup(folder)  # no store
    open_till_store(folder).close()
    assert needs_setup(folder)  # a store, never enrolled (e.g. demo-data's)
    with open_till_store(folder) as store, store.unit_of_work() as uow:
        uow.settings.set(OFFLINE_KEY, True)
        uow.commit()
    assert not needs_setup(folder)  # "work without a server" was chosen
    other = tmp_path / "enrolled"
    with open_till_store(other) as store, store.unit_of_work() as uow:
        uow.settings.set(TERMINAL_KEY, "T-1")
        uow.commit()
    assert not needs_setup(other)
    assert first_run.ENROLLED_KEY == TERMINAL_KEY


def test_the_command_line_decides_first(tmp_path: Path) -> None:
    new = ["--data-dir", str(tmp_path / "new")]
    assert _first_run(parse_args(new))
    assert not _first_run(parse_args([*new, "--no-setup"]))
    assert not _first_run(parse_args([*new, "--server", "http://127.0.0.1:1", "--enrol-code",
                                      "K1"]))  # fmt: skip


def test_a_link_typed_in_a_russian_layout_is_read(tmp_path: Path) -> None:
    link = format_enrol_link("https://pos.example:8765", "AbC-9x")
    typed = link.translate(US_TO_RU)
    assert typed.startswith("ешддлуузук")
    assert DataFolderSetup(tmp_path).read_link(typed) == EnrolLink(
        "https://pos.example:8765", "AbC-9x"
    )
    with pytest.raises(SetupFailed) as refused:
        DataFolderSetup(tmp_path).read_link("4607001234567")
    assert refused.value.reason == "bad_link"


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTPS server on loopback with a certificate from a CA the system does not know."""
    files = make_tls_files(tmp_path)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(files.cert, files.key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}", files.ca_cert
    httpd.shutdown()
    httpd.server_close()


def reason(setup: DataFolderSetup, server: str, **trust: object) -> str:
    with pytest.raises(SetupFailed) as failed:
        setup.enrol(server, "K1", **trust)  # type: ignore[arg-type]
    return failed.value.reason


def test_an_untrusted_certificate_a_missing_ca_and_plain_http(
    tls_server: tuple[str, Path], tmp_path: Path
) -> None:
    url, ca = tls_server
    setup = DataFolderSetup(tmp_path / "till")
    try:
        assert reason(setup, url, ca_cert=str(tmp_path / "token-store"), insecure=True) == (
            "ca_missing"
        )
        assert reason(setup, url) == "tls"
        assert reason(setup, url, ca_cert=str(ca)) == "server_error"  # trusted: a 501 answer
        assert reason(setup, "http://192.0.2.10:8765") == "plain_http"
        assert reason(setup, "pos.example") == "bad_url"
    finally:
        setup.close()


def test_on_windows_the_data_folder_is_the_machine_wide_program_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(store_factory.DATA_DIR_ENV, raising=False)
    monkeypatch.setattr(store_factory.sys, "platform", "win32")
    monkeypatch.setenv("PROGRAMDATA", "D:\\ProgramData")
    assert str(data_dir()) == str(Path("D:\\ProgramData") / "Tillkeeper")
    monkeypatch.delenv("PROGRAMDATA")
    monkeypatch.delenv("ALLUSERSPROFILE", raising=False)
    assert str(data_dir()) == str(Path("C:\\ProgramData") / "Tillkeeper")
    monkeypatch.setenv(store_factory.DATA_DIR_ENV, "E:\\till")
    assert str(data_dir()) == "E:\\till"  # POS_DATA_DIR and --data-dir still win
    assert str(data_dir("F:\\other")) == "F:\\other"
