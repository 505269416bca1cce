"""Issue 16 point 5 on the till: HTTPS to the server, plain http:// only to this machine
unless the operator says ``--insecure``, the server's certificate trusted from the system or
from ``--ca-cert``. A real ``pos-server run --tls-cert --tls-key`` on loopback, a certificate
made by the test, and the till's own commands as processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.net import free_port
from pos_app.commands.sync_runtime import CA_CERT_KEY, INSECURE_KEY, SyncSetupError
from pos_app.sync.admin_client import AdminClient
from pos_app.sync.order_stream import OrderStream
from pos_app.sync.puller import FeedPuller
from pos_app.sync.server_link import (
    InsecureServer,
    ServerLinkError,
    ServerTrust,
    check_server_url,
    is_loopback,
)
from pos_app.sync.transport import HttpTransport
from pos_server.db import upgrade
from tests.live_server import wait_until_up
from tests.sync.conftest import new_code
from tests.sync.test_till_sim import server_sales
from tests.tls_certs import TlsFiles, make_tls_files

APP = [sys.executable, "-m", "pos_app.app"]
LAN = "http://192.0.2.10:8765"  # TEST-NET-1: nothing answers there, nothing is tried


@pytest.mark.parametrize("url", ["http://127.0.0.1:8765", "http://127.3.4.5", "http://localhost:1",
                                 "http://[::1]:8765", "http://till.localhost", "https://pos.example",
                                 "https://10.0.0.5:8765/"])  # fmt: skip
def test_loopback_http_and_any_https_are_accepted(url: str) -> None:
    assert check_server_url(url, ServerTrust()) == url.rstrip("/")


@pytest.mark.parametrize("url", [LAN, "http://pos.example:8765", "http://10.0.0.5",
                                 "HTTP://[fe80::1]:80", "http://localhost.evil.example"])
def test_plain_http_to_another_machine_is_refused_unless_insecure(url: str) -> None:
    with pytest.raises(InsecureServer, match="--insecure"):
        check_server_url(url, ServerTrust())
    assert check_server_url(url, ServerTrust(insecure=True))


@pytest.mark.parametrize("url", ["ftp://pos.example", "pos.example:8765", "https://", ""])
def test_what_is_not_a_server_url_is_refused(url: str) -> None:
    with pytest.raises(ServerLinkError, match="not a URL"):
        check_server_url(url, ServerTrust(insecure=True))


def test_loopback_is_told_without_asking_a_resolver() -> None:
    assert is_loopback("LOCALHOST.") and is_loopback("::1") and is_loopback("127.0.0.2")
    assert not is_loopback("192.168.1.2") and not is_loopback("localhost.example")


def test_every_client_refuses_plain_http_elsewhere_before_connecting() -> None:
    """Constructed, never used: the refusal comes before any socket is opened."""
    makers = [
        lambda trust: HttpTransport(LAN, "token", trust=trust),
        lambda trust: FeedPuller(LAN, "token", feed=None, trust=trust),  # type: ignore[arg-type]
        lambda trust: AdminClient(LAN, "token", trust=trust),
        lambda trust: OrderStream(LAN, "token", cursor=0, on_batch=print, trust=trust),
    ]
    for make in makers:
        with pytest.raises(InsecureServer):
            make(ServerTrust())
        make(ServerTrust(insecure=True))  # the operator's explicit choice


def test_till_sim_refuses_a_plain_http_server_elsewhere_at_once(tmp_path: Path) -> None:
    started = time.monotonic()
    done = subprocess.run([*APP, "till-sim", "--server", LAN, "--data-dir", str(tmp_path / "t"),
                           "--sales", "0", "--enrol-code", "CODE", "--token-store",
                           f"file:{tmp_path / 'tokens'}"],
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 1
    assert "plain http://" in done.stderr and "--insecure" in done.stderr
    assert time.monotonic() - started < 30  # no connection timeout waited for
    assert not (tmp_path / "t").exists()  # refused before the data folder was made


def test_the_till_window_refuses_it_on_the_command_line() -> None:
    done = subprocess.run([*APP, "till", "--server", LAN, "--enrol-code", "CODE"],
                          capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})  # fmt: skip
    assert done.returncode == 2 and "--insecure" in done.stderr


def test_the_console_and_pull_refuse_it_too(tmp_path: Path) -> None:
    console = subprocess.run([*APP, "console", "--server", LAN, "--data-dir", str(tmp_path),
                              "--enrol", "CODE"], capture_output=True, text=True, timeout=60,
                             check=False)  # fmt: skip
    assert console.returncode == 2 and "--insecure" in console.stderr
    pull = subprocess.run([*APP, "pull", "--server", LAN, "--data-dir", str(tmp_path / "t")],
                          capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "POS_APP_TOKEN": "t"})  # fmt: skip
    assert pull.returncode == 1 and "--insecure" in pull.stderr


# --- a real HTTPS server ----------------------------------------------------------------


class TlsServer:
    def __init__(self, folder: Path) -> None:
        self.tls: TlsFiles = make_tls_files(folder)
        self.db_url = f"sqlite:///{folder / 'server.sqlite3'}"
        upgrade(self.db_url)
        port = free_port()
        self.url = f"https://127.0.0.1:{port}"
        self._log = open(folder / "server.log", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pos_server.cli", "run", "--db", self.db_url, "--port",
             str(port), "--tls-cert", str(self.tls.cert), "--tls-key", str(self.tls.key)],
            env={**os.environ, "POS_SERVER_SWEEP_INTERVAL_SECONDS": "0"},
            stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until_up(self.url, self.process, ca=self.tls.ca_cert, log=folder / "server.log")

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)
        self._log.close()


@pytest.fixture(scope="module")
def https_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    server = TlsServer(tmp_path_factory.mktemp("https"))
    yield server
    server.close()


def till_sim(server: TlsServer, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*APP, "till-sim", "--server", server.url, "--data-dir",
                           str(folder / "till"), "--token-store", f"file:{folder / 'tokens'}",
                           *args], capture_output=True, text=True, timeout=120,
                          check=False)  # fmt: skip


def test_a_till_enrols_and_syncs_over_https_with_its_ca_certificate(
    https_server: TlsServer, tmp_path: Path
) -> None:
    code = new_code(https_server.db_url)
    done = till_sim(https_server, tmp_path, "--sales", "3", "--enrol-code", code,
                    "--ca-cert", str(https_server.tls.ca_cert))  # fmt: skip
    assert done.returncode == 0, done.stderr
    sold = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("SALE ")]
    assert len(sold) == 3 and set(sold) <= set(server_sales(https_server.db_url))
    # the CA chosen at enrolment is the till's: later runs and `pos-app pull` need no flag
    again = till_sim(https_server, tmp_path, "--sales", "1")
    assert again.returncode == 0, again.stderr
    pull = subprocess.run([*APP, "pull", "--data-dir", str(tmp_path / "till")],
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert pull.returncode == 0, pull.stderr
    from pos_app.commands.store_factory import open_till_store

    with open_till_store(tmp_path / "till") as store, store.unit_of_work() as uow:
        assert uow.settings.get(CA_CERT_KEY) == str(https_server.tls.ca_cert)
        assert uow.settings.get(INSECURE_KEY) is False


def test_a_server_certificate_nobody_vouches_for_is_refused_and_the_code_kept(
    https_server: TlsServer, tmp_path: Path
) -> None:
    code = new_code(https_server.db_url)
    refused = till_sim(https_server, tmp_path, "--sales", "0", "--enrol-code", code)
    assert refused.returncode == 1
    assert "Enrolment failed" in refused.stderr and "SSLError" in refused.stderr
    done = till_sim(https_server, tmp_path / "second", "--sales", "0", "--enrol-code", code,
                    "--ca-cert", str(https_server.tls.ca_cert))  # the code was never sent
    assert done.returncode == 0, done.stderr


def test_a_missing_ca_file_is_said_plainly(tmp_path: Path) -> None:
    from pos_app.commands.sync_runtime import enrol_data_dir

    with pytest.raises(SyncSetupError, match="does not exist"):
        enrol_data_dir(tmp_path / "till", "https://127.0.0.1:1", "CODE",
                       f"file:{tmp_path / 'tokens'}", ServerTrust(str(tmp_path / "nope.pem")))


def _own_lan_address() -> str | None:
    """This machine's address on its network (not loopback), or None."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: only the route is chosen
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if is_loopback(address) or address == "0.0.0.0" else address


def test_insecure_is_the_operators_choice_and_kept_from_enrolment(tmp_path: Path) -> None:
    """A server on this machine's LAN address over plain http: refused, then accepted with
    --insecure, which the till keeps (a later `pos-app pull` needs no flag)."""
    address = _own_lan_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address")
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    upgrade(db_url)
    port = free_port()
    url = f"http://{address}:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "pos_server.cli", "run", "--db", db_url, "--host", address,
         "--port", str(port)], env={**os.environ, "POS_SERVER_SWEEP_INTERVAL_SECONDS": "0"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_up(url, process)
        code = new_code(db_url)
        common = ["--server", url, "--data-dir", str(tmp_path / "till"), "--token-store",
                  f"file:{tmp_path / 'tokens'}", "--enrol-code", code]  # fmt: skip
        refused = subprocess.run([*APP, "till-sim", *common, "--sales", "0"],
                                 capture_output=True, text=True, timeout=60, check=False)
        assert refused.returncode == 1 and "--insecure" in refused.stderr
        done = subprocess.run([*APP, "till-sim", *common, "--sales", "2", "--insecure"],
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        pull = subprocess.run([*APP, "pull", "--data-dir", str(tmp_path / "till")],
                              capture_output=True, text=True, timeout=60, check=False)
        assert pull.returncode == 0, pull.stderr
    finally:
        process.terminate()
        process.wait(10)
