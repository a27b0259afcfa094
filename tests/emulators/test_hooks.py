"""Webhooks V3 management: CRUD, validation, ownership by API account."""

from __future__ import annotations

import pytest

from .conftest import client_for


def _create(api, scope="store/order/created", destination="http://127.0.0.1:9/hooks", **fields):
    return api.post("/v3/hooks", json={"scope": scope, "destination": destination, **fields})


def test_hook_create_get_list_update_delete(api):
    created = _create(api, headers={"X-Printbridge-Secret": "s3cret"})
    assert created.status_code == 200
    hook = created.json()["data"]
    assert {k: hook[k] for k in ("id", "scope", "destination", "is_active", "headers", "store_hash")} == {
        "id": 1,
        "scope": "store/order/created",
        "destination": "http://127.0.0.1:9/hooks",
        "is_active": True,
        "headers": {"X-Printbridge-Secret": "s3cret"},
        "store_hash": "abc123",
    }
    assert hook["client_id"] == "emulator-abc123"
    assert api.get("/v3/hooks/1").json()["data"] == hook
    updated = api.put("/v3/hooks/1", json={"is_active": False}).json()["data"]
    assert updated["is_active"] is False
    assert [h["id"] for h in api.get("/v3/hooks").json()["data"]] == [1]
    assert api.get("/v3/hooks", params={"is_active": "true"}).json()["data"] == []
    deleted = api.delete("/v3/hooks/1")
    assert (deleted.status_code, deleted.json()["data"]["id"]) == (200, 1)
    gone = api.get("/v3/hooks/1")
    assert (gone.status_code, gone.json()["title"]) == (404, "Webhook with id [1] not found")


def test_hooks_filter_by_scope_and_destination(api):
    _create(api, "store/order/created")
    _create(api, "store/order/statusUpdated")
    _create(api, "store/order/statusUpdated", "http://127.0.0.1:9/other")
    by_scope = api.get("/v3/hooks", params={"scope": "store/order/statusUpdated"}).json()
    assert [h["id"] for h in by_scope["data"]] == [2, 3]
    by_destination = api.get("/v3/hooks", params={"destination": "http://127.0.0.1:9/other"}).json()
    assert [h["id"] for h in by_destination["data"]] == [3]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"destination": "http://127.0.0.1:9/h"}, "scope"),
        ({"scope": "store/order/created"}, "destination"),
        ({"scope": "store/order/created", "destination": "ftp://127.0.0.1/h"}, "destination"),
        ({"scope": "store/order/created", "destination": "https:///no-host"}, "destination"),
        (
            {"scope": "store/order/created", "destination": "http://127.0.0.1:9/h", "headers": {"a": 1}},
            "headers",
        ),
    ],
)
def test_invalid_hooks_are_422_naming_the_field(store, api, body, field):
    answer = api.post("/v3/hooks", json=body)
    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == [field]
    assert store.hooks == {}


def test_one_hook_per_scope_and_destination_and_ten_per_scope(api):
    assert _create(api).status_code == 200
    duplicate = _create(api)
    assert (duplicate.status_code, list(duplicate.json()["errors"])) == (422, ["destination"])
    for index in range(9):
        assert _create(api, destination=f"http://127.0.0.1:9/h{index}").status_code == 200
    eleventh = _create(api, destination="http://127.0.0.1:9/h10")
    assert (eleventh.status_code, list(eleventh.json()["errors"])) == (422, ["scope"])


def test_hooks_belong_to_the_api_account_that_created_them(emulator, store, api):
    _create(api)
    store.tokens["app-token"] = "other-client"
    with client_for(emulator, token="app-token") as other:
        assert other.get("/v3/hooks").json()["data"] == []
        assert other.get("/v3/hooks/1").status_code == 404
        assert other.delete("/v3/hooks/1").status_code == 404
    assert list(store.hooks) == [1]


def test_put_without_fields_is_422(api):
    _create(api)
    assert api.put("/v3/hooks/1", json={}).status_code == 422
