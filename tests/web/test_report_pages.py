"""The back office's money views and reports (issue 18 point 8) through HTTP: each view's page
and its CSV (UTF-8 with a BOM, quoted, amounts in roubles), the period, and the reports
permission refused."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from pos_server.app import create_app
from pos_server.db import make_engine, upgrade
from pos_server.programme import service as programme
from pos_server.settings import ServerSettings
from pos_server.staff import permissions as perms
from pos_server.staff import service as staff
from pos_server.uow import unit_of_work
from tests.server.test_reports_service import seed
from tests.web.test_backoffice_pages import PASSWORD, sign_in, token_of

PERIOD = {"from": "2026-12-01", "to": "2026-12-02"}


@pytest.fixture
def db_url(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("POS_SERVER_SHOP_TIMEZONE", "Europe/Moscow")
    url = f"sqlite:///{tmp_path}/server.sqlite3"
    upgrade(url)
    engine = make_engine(url)
    with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
        boss = staff.add_staff(uow, "Boss", "admin", "482913")
        staff.set_password(uow, boss.id, PASSWORD)
        kim = staff.add_staff(uow, "Kim", "manager", "12345678")
        staff.set_password(uow, kim.id, PASSWORD)
        perms.set_permissions(uow, kim.id, {"terminals"})
        seed(uow)
    engine.dispose()
    return url


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(database_url=db_url))) as test_client:
        yield test_client


def csv_rows(client: TestClient, path: str, **params: str) -> list[list[str]]:
    answer = client.get(path, params={**PERIOD, **params})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"].startswith("attachment; filename=")
    assert answer.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Cyrillic
    text = answer.content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text)))


def test_the_reports_need_the_permission(client: TestClient) -> None:
    assert client.get("/admin/reports", follow_redirects=False).status_code == 303
    sign_in(client, "kim")
    for path in (
        "/admin/reports",
        "/admin/reports/sales",
        "/admin/reports/sales/by-day.csv",
        "/admin/reports/money/overdrafts.csv",
    ):
        refused = client.get(path, params=PERIOD)
        assert refused.status_code == 403, path
        assert "text/csv" not in refused.headers["content-type"]
    assert 'href="/admin/reports"' not in client.get("/admin/terminals").text


def test_the_index_lists_the_views(client: TestClient) -> None:
    sign_in(client, "boss")
    page = client.get("/admin/reports").text
    assert 'href="/admin/reports/sales"' in page and 'href="/admin/reports/money"' in page
    assert "Отчёты" in page  # Russian by default


def test_overdrafts_and_breaches(client: TestClient) -> None:
    sign_in(client, "boss")
    page = client.get("/admin/reports/money", params=PERIOD).text
    assert 'id="overdrafts"' in page and 'id="breaches"' in page and "offline_allowance" in page
    assert 'href="/admin/reports/money/overdrafts.csv?from=2026-12-01&amp;to=2026-12-02"' in page
    rows = csv_rows(client, "/admin/reports/money/overdrafts.csv")
    assert rows[0][:4] == ["Когда (UTC)", "Счёт", "Гость", "Сумма"]
    assert [r[1:4] for r in rows[1:]] == [["points", "g2", "7.00"]]
    breaches = csv_rows(client, "/admin/reports/money/breaches.csv")
    assert [r[1:4] for r in breaches[1:]] == [["offline_allowance", "g2", "7.00"]]


def test_reconciliation_open_and_resolved(client: TestClient) -> None:
    sign_in(client, "boss")
    page = client.get("/admin/reports/reconciliation", params=PERIOD).text
    assert "till gave more" in page and ">done<" not in page
    rows = csv_rows(client, "/admin/reports/reconciliation/items.csv", resolved="1")
    assert [(r[3], r[5], r[8]) for r in rows[1:]] == [("d", "-1.00", "cli:anna"), ("b", "5.00", "")]


def test_sales_by_day_and_staff_with_csv(client: TestClient) -> None:
    sign_in(client, "boss")
    page = client.get("/admin/reports/sales", params={**PERIOD, "by": "day"}).text
    assert "2026-12-01" in page and "660,00" in page
    rows = csv_rows(client, "/admin/reports/sales/by-day.csv", by="day")
    assert rows[0] == [
        "День",
        "Продажи",
        "Сумма",
        "Наличные",
        "Карта",
        "Депозит",
        "Баллы",
        "Возвраты",
        "Возвращено",
        "Итого за вычетом возвратов",
    ]
    assert rows[1:] == [
        ["2026-12-01", "4", "660.00", "310.00", "300.00", "0.00", "50.00", "0", "0.00", "660.00"],
        ["2026-12-02", "1", "400.00", "0.00", "0.00", "400.00", "0.00", "1", "300.00", "100.00"],
        ["Итого", "5", "1060.00", "310.00", "300.00", "400.00", "50.00", "1", "300.00",
         "760.00"]]  # fmt: skip
    staff_rows = csv_rows(client, "/admin/reports/sales/by-staff.csv", by="staff")
    assert [r[:3] for r in staff_rows[1:]] == [["Ira", "2", "500.00"], ["Oleg", "2", "550.00"],
                                               ["Вне смены", "1", "10.00"],
                                               ["Итого", "5", "1060.00"]]  # fmt: skip
    shifts = csv_rows(client, "/admin/reports/sales/by-shift.csv", by="shift")
    assert [r[0] for r in shifts[1:]] == [
        "Till 1 #1 (2026-12-01)", "Till 1 #2 (2026-12-02)", "Till 2 #1 (2026-12-01)",
        "Вне смены", "Итого"]  # fmt: skip
    terminals = csv_rows(client, "/admin/reports/sales/by-terminal.csv", by="terminal")
    assert [r[0] for r in terminals[1:]] == ["Till 1", "Till 2", "Итого"]


def test_a_bad_period_is_refused(client: TestClient) -> None:
    sign_in(client, "boss")
    backwards = client.get("/admin/reports/sales", params={"from": "2026-12-02",
                                                           "to": "2026-12-01"})  # fmt: skip
    assert backwards.status_code == 400 and "раньше" in backwards.text
    assert client.get("/admin/reports/sales", params={"from": "1.12.2026"}).status_code == 400
    assert client.get("/admin/reports/nope").status_code == 404
    assert client.get("/admin/reports/sales/nope.csv", params=PERIOD).status_code == 404


def test_deposits_by_day_and_shift(client: TestClient) -> None:
    sign_in(client, "boss")
    page = client.get("/admin/reports/deposits", params=PERIOD).text
    assert 'id="days"' in page and 'id="shifts"' in page and "500,00" in page
    days = csv_rows(client, "/admin/reports/deposits/days.csv")
    assert days[0][:3] == ["День", "Пополнения", "Пополнено"]
    assert days[1:] == [["2026-12-01", "1", "500.00", "0.00", "0.00", "0.00", "500.00"],
                        ["2026-12-02", "0", "0.00", "0.00", "450.00", "20.00", "-470.00"],
                        ["Итого", "1", "500.00", "0.00", "450.00", "20.00", "30.00"]]  # fmt: skip
    shifts = csv_rows(client, "/admin/reports/deposits/shifts.csv")
    assert [(r[0], r[2], r[3]) for r in shifts[1:]] == [
        ("Till 1 #1", "500.00", "0.00"),
        ("Till 1 #2", "0.00", "100.00"),
    ]


def test_points_liability(client: TestClient) -> None:
    sign_in(client, "boss")
    page = client.get("/admin/reports/liability", params=PERIOD).text
    assert "Баллы на счетах" in page and "Остатки депозитов" in page
    points = csv_rows(client, "/admin/reports/liability/points.csv")
    assert points == [["На начало", "На конец", "Изменение", "В холде", "В минусе", "Счета",
                       "Сейчас"], ["0", "6000", "6000", "1000", "0", "2", "6000"]]  # fmt: skip
    money = csv_rows(client, "/admin/reports/liability/money.csv")
    assert money[1] == ["0.00", "30.00", "30.00", "0.00", "-20.00", "2", "30.00"]


def test_top_guests_quoted_in_csv(client: TestClient) -> None:
    sign_in(client, "boss")
    page = client.get("/admin/reports/top-guests", params=PERIOD).text
    assert "Анна &#34;Кофе&#34;, VIP" in page or "Анна &quot;Кофе&quot;, VIP" in page
    answer = client.get("/admin/reports/top-guests/guests.csv", params=PERIOD)
    assert '"Анна ""Кофе"", VIP"' in answer.content.decode("utf-8-sig")  # RFC 4180 quoting
    rows = csv_rows(client, "/admin/reports/top-guests/guests.csv")
    assert rows[1:] == [["g1", 'Анна "Кофе", VIP', "+79990000001", "2", "700.00"],
                        ["g2", "Boris", "", "1", "150.00"]]  # fmt: skip
    assert len(csv_rows(client, "/admin/reports/top-guests/guests.csv", limit="1")) == 2


def test_a_reconciliation_item_is_resolved_from_the_page(client: TestClient) -> None:
    sign_in(client, "boss")
    page = client.get("/admin/reports/reconciliation", params=PERIOD).text
    found = re.search(r'action="/admin/reports/reconciliation/(\d+)/resolve"', page)
    assert found is not None and 'id="resolve-' in page
    path = f"/admin/reports/reconciliation/{found.group(1)}/resolve"
    back = "from=2026-12-01&to=2026-12-02"
    forged = client.post(path, data={"back": back}, follow_redirects=False)
    assert forged.status_code == 403  # no CSRF token: nothing changed
    assert "till gave more" in client.get("/admin/reports/reconciliation", params=PERIOD).text
    done = client.post(path, data={"csrf_token": token_of(page), "back": back},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    assert done.headers["location"] == f"/admin/reports/reconciliation?{back}"
    assert "till gave more" not in client.get("/admin/reports/reconciliation",
                                              params=PERIOD).text  # fmt: skip
    assert "reconciliation.resolve" in client.get("/admin/audit").text
    again = client.post(path, data={"csrf_token": token_of(page)}, follow_redirects=False)
    assert again.status_code == 404
    client.post("/admin/sign-out", data={"csrf_token": token_of(page)})
    sign_in(client, "kim")
    kim_page = client.get("/admin/terminals").text
    refused = client.post(path, data={"csrf_token": token_of(kim_page)}, follow_redirects=False)
    assert refused.status_code == 403


def test_the_days_are_the_programmes_time_zone(client: TestClient, db_url: str) -> None:
    engine = make_engine(db_url)
    with unit_of_work(engine, actor="web:test", now=datetime.now(UTC)) as uow:
        programme.change(uow, {"venue.timezone": "UTC"})
    engine.dispose()
    sign_in(client, "boss")
    rows = csv_rows(client, "/admin/reports/sales/by-day.csv", by="day")
    # sale x, 00:30 on Dec 3 in Moscow, is 21:30 on Dec 2 in UTC: now in the period
    assert [(r[0], r[1]) for r in rows[1:]] == [("2026-12-01", "4"), ("2026-12-02", "2"),
                                                ("Итого", "6")]  # fmt: skip
