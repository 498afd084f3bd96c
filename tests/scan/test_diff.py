"""Inventory diffs: added, removed, changed fields and scored rename candidates."""

from __future__ import annotations

from bot.scan.diff import diff_inventories
from bot.scan.engine import extract_file, link
from bot.scan.model import Inventory

BEFORE = b"""
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Item(BaseModel):
    name: str


@app.get("/items/{item_id}")
def read_item(item_id: int) -> Item: ...


@app.post("/items", status_code=201)
def create_item(item: Item) -> Item: ...


@app.delete("/items/{item_id}")
def delete_item(item_id: int) -> None: ...


@app.get("/health")
def health() -> dict[str, str]: ...
"""


def _inventory(source: bytes) -> Inventory:
    return link({"main.py": extract_file("main.py", source)})


def test_identical_inventories_have_no_diff() -> None:
    assert diff_inventories(_inventory(BEFORE), _inventory(BEFORE)).empty


def test_added_removed_and_rename_candidate() -> None:
    after = BEFORE.replace(b'@app.get("/items/{item_id}")', b'@app.get("/products/{item_id}")')
    after = after.replace(b'@app.get("/health")\ndef health', b'@app.get("/ready")\ndef ready')
    result = diff_inventories(_inventory(BEFORE), _inventory(after))
    assert [(e.method, e.path) for e in result.added] == [
        ("GET", "/products/{item_id}"),
        ("GET", "/ready"),
    ]
    assert [(e.method, e.path) for e in result.removed] == [
        ("GET", "/health"),
        ("GET", "/items/{item_id}"),
    ]
    [rename] = result.renames
    assert (rename.method, rename.old_path, rename.new_path) == (
        "GET",
        "/items/{item_id}",
        "/products/{item_id}",
    )
    assert rename.confidence >= 0.8
    assert rename.reasons[:3] == ["same handler", "same responses", "same file"]


def test_changed_fields_are_named() -> None:
    after = BEFORE.replace(b"status_code=201", b"status_code=202").replace(
        b"class Item(BaseModel):\n    name: str",
        b"class Item(BaseModel):\n    name: str\n    size: int",
    )
    result = diff_inventories(_inventory(BEFORE), _inventory(after))
    changes = {(c.method, c.path): c.fields for c in result.changed}
    assert changes == {
        ("GET", "/items/{item_id}"): ["responses"],
        ("POST", "/items"): ["request_schema", "responses", "status_codes"],
    }
    assert not result.added and not result.removed


def test_path_parameter_rename_is_a_change_not_an_add() -> None:
    after = BEFORE.replace(b'{item_id}")\ndef delete_item(item_id', b'{id}")\ndef delete_item(id')
    result = diff_inventories(_inventory(BEFORE), _inventory(after))
    assert [(c.path, c.fields) for c in result.changed] == [("/items/{id}", ["path", "params"])]
