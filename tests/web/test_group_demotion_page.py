"""The group form's demotion period (issue 18 point 3): saved, shown again, fed to the tills
with the group; a period that is not a whole number of 1 to 3 660 days is refused."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.test_backoffice_pages import client, db_url, sign_in, token_of

__all__ = ["client", "db_url"]


def test_the_demotion_period_is_saved_and_refused_when_wrong(client: TestClient) -> None:
    sign_in(client, "boss")
    token = token_of(client.get("/admin/groups/new").text)
    base = {"csrf_token": token, "discount": "5", "spend_threshold": "500", "active": "on"}
    client.post("/admin/groups/new", data={**base, "id": "g5", "name": "5 %"})
    made = client.post("/admin/groups/new", data={
        **base, "id": "g10", "name": "10 %", "demote_to": "g5", "demotion_days": "90"},
        follow_redirects=False)  # fmt: skip
    assert made.status_code == 303
    page = client.get("/admin/groups/g10").text
    assert 'name="demotion_days" value="90"' in page and "Период понижения, дней" in page
    for wrong in ("0", "abc", "4000"):
        refused = client.post("/admin/groups/g10", data={
            **base, "name": "10 %", "demote_to": "g5", "demotion_days": wrong})  # fmt: skip
        assert refused.status_code == 400, wrong
    cleared = client.post("/admin/groups/g10", data={**base, "name": "10 %", "demote_to": "g5"},
                          follow_redirects=False)  # fmt: skip
    assert cleared.status_code == 303
    assert 'name="demotion_days" value=""' in client.get("/admin/groups/g10").text
