"""Per-terminal settings survive a restart and are only kept when the unit of work commits."""

from pathlib import Path

from pos_app.db.uow import open_store


def test_a_committed_setting_is_read_back_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    with open_store(path, terminal_id="T1") as store, store.unit_of_work() as uow:
        uow.settings.set("device.printer", {"driver": "network", "host": "127.0.0.1", "port": 9100})
        uow.settings.set("device.printer_name", "Кухня")
        uow.commit()
    with open_store(path) as store, store.unit_of_work() as uow:
        assert uow.settings.get("device.printer") == {
            "driver": "network",
            "host": "127.0.0.1",
            "port": 9100,
        }
        assert uow.settings.get("device.printer_name") == "Кухня"
        assert uow.settings.get("missing", 7) == 7


def test_an_uncommitted_setting_is_gone(tmp_path: Path) -> None:
    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
        with store.unit_of_work() as uow:
            uow.settings.set("sync.cursor", 41)
        with store.unit_of_work() as uow:
            assert uow.settings.get("sync.cursor") is None


def test_prefix_listing_treats_like_wildcards_literally(tmp_path: Path) -> None:
    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as store:
        with store.unit_of_work() as uow:
            uow.settings.set("dev_a", 1)
            uow.settings.set("devXa", 2)
            uow.settings.set("dev_b", 3)
            uow.settings.delete("dev_b")
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.settings.with_prefix("dev_") == {"dev_a": 1}
            assert uow.settings.with_prefix("dev") == {"dev_a": 1, "devXa": 2}
