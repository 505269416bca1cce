"""Smoke test of ``python -m bench backoffice``: a small run against a real ``pos-server run``
on PostgreSQL - the admin signed in over HTTP, every request kind answered with the right
page - prints the table (HTTP rows with a verdict, then the service rows) and ends with one
JSON line holding every kind's figures; and the page checks refuse a wrong page."""

from __future__ import annotations

import json
import os

import pytest

from bench import backoffice
from bench.__main__ import BENCHMARKS

PAGES = ("list_no_query", "list_next_page", "list_keyset_page", "search_name",
         "search_name_page_2", "search_phone", "search_phone_page_2", "search_e-mail",
         "search_e-mail_page_2", "search_card", "search_card_page_2", "card",
         "card_history_next_page", "card_history_deep")  # fmt: skip
SERVICES = ("baseline_guest_by_id", "list_no_query", "list_keyset_page", "search_name",
            "search_phone", "search_e-mail", "search_card", "card_card_view",
            "card_history_page_1", "card_history_deep")  # fmt: skip


@pytest.mark.postgres
def test_the_backoffice_bench_runs_and_ends_with_its_json(capsys: pytest.CaptureFixture[str]
                                                         ) -> None:  # fmt: skip
    if not os.environ.get("POS_TEST_PG_URL"):
        pytest.skip("POS_TEST_PG_URL is not set (PostgreSQL did not answer): skipped")
    assert BENCHMARKS["backoffice"] == "bench.backoffice"
    code = backoffice.main(["--quick", "--guests", "2000", "--postings", "600",
                            "--requests", "5", "--rounds", "5"])  # fmt: skip
    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    assert result["errors"] == 0, lines  # every page was the signed-in admin's, as expected
    assert code == 0, lines
    assert result["benchmark"] == "backoffice" and result["guests"] == 2000
    assert result["requests"] == 5 and isinstance(result["ok"], bool)
    http, services = result["http"], result["service"]
    for baseline in ("baseline_health", "baseline_admin_home"):  # in both phases of the run
        assert http[baseline]["n"] == 10 and http[baseline]["p50_ms"] > 0, baseline
    for page in PAGES:
        figures = http[page]
        assert figures["n"] == 5, page
        assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"], page
        assert figures["ok"] == (figures["p99_ms"] < backoffice.TARGET_MS), page
    assert result["worst_page_p99_ms"] == max(http[page]["p99_ms"] for page in PAGES)
    for service in SERVICES:
        assert services[service]["n"] == 5 and services[service]["p99_ms"] > 0, service
    rows = [line.split() for line in lines]
    for row in ("search: name", "search: e-mail, page 2", "card: history, deep"):
        shown = next(line for line in lines if line.strip().startswith(row))
        assert shown.split()[-1] in ("pass", "FAIL"), shown
    assert any(r[:2] == ["baseline:", "/health"] for r in rows)


def test_the_page_checks_refuse_a_wrong_page() -> None:
    seed = backoffice.seeded(200)
    gid = "g000120"
    name, phone = seed.names[gid], seed.phones[gid]
    assert phone == "+79000000120" and seed.emails[gid] == "g000120.120@mail.example"
    for found in ("8 900000012", "+7 900 000", "9000000120", name[:3].lower(), "g00012",
                  "card0000012"):  # fmt: skip
        assert seed.matches(gid, found), found
    for other in ("8 901", "g00013", "card0000013", "Zz"):
        assert not seed.matches(gid, other), other
    listed = f'<td><a href="/admin/guests/{gid}">{name}</a></td>'
    assert backoffice._guests(seed, name[:3])(listed) == ""
    assert "listed as" in backoffice._guests(seed, "")(f'<td><a href="/admin/guests/{gid}">X'
                                                         '</a></td>')  # fmt: skip
    assert "does not match" in backoffice._guests(seed, "8 901")(listed)
    assert "previous page" in backoffice._guests(seed, "", not_in=frozenset({gid}))(listed)
    assert backoffice._guests(seed, "", full=True)(listed) == "1 guests listed"
    sign_in_form = '<form method="post" action="/admin/sign-in"><input name="name"></form>'
    assert backoffice._guests(seed, "")(sign_in_form) == "0 guests listed"
    assert backoffice._holds(backoffice.SIGNED_IN)(sign_in_form)
