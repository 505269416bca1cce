"""Service calls run off the GUI thread; results and errors come back on it."""

import threading
import time

import pytest
from pytestqt.qtbot import QtBot

from pos_app.ui.op_runner import OpRunner


@pytest.fixture
def runner(qtbot: QtBot):  # type: ignore[no-untyped-def]
    r = OpRunner()
    yield r
    r.shutdown()


def test_work_runs_off_the_gui_thread_and_result_returns_on_it(
    runner: OpRunner, qtbot: QtBot
) -> None:
    gui = threading.get_ident()
    seen: dict[str, int] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    results: list[int] = []

    def done(value: int) -> None:
        seen["callback"] = threading.get_ident()
        results.append(value)

    runner.run(work, done)
    qtbot.waitUntil(lambda: results == [42], timeout=2000)
    assert seen["worker"] != gui
    assert seen["callback"] == gui
    assert not runner.busy


def test_errors_reach_the_error_callback_on_the_gui_thread(
    runner: OpRunner, qtbot: QtBot
) -> None:
    errors: list[Exception] = []

    def boom() -> None:
        raise ValueError("printer on fire")

    runner.run(boom, on_success=lambda _: pytest.fail("must not succeed"), on_error=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=2000)
    assert str(errors[0]) == "printer on fire"


def test_gui_thread_keeps_running_while_an_op_blocks(runner: OpRunner, qtbot: QtBot) -> None:
    release = threading.Event()
    done: list[str] = []
    runner.run(lambda: release.wait(5), lambda _: done.append("slow"))
    start = time.monotonic()
    runner.run(lambda: "next", done.append)
    # The call returned at once although the worker is blocked.
    assert time.monotonic() - start < 0.5
    assert runner.busy
    release.set()
    qtbot.waitUntil(lambda: done == ["slow", "next"], timeout=3000)


def test_ops_run_in_the_order_they_were_queued(runner: OpRunner, qtbot: QtBot) -> None:
    order: list[int] = []
    for i in range(20):
        runner.run(lambda i=i: i, order.append)
    qtbot.waitUntil(lambda: len(order) == 20, timeout=3000)
    assert order == list(range(20))
