"""Source fragments: literals laid out like `ruff format`, in time linear in their size."""

from __future__ import annotations

from typing import Any

from bot.generate.source_text import identifier, literal


def test_short_literal_stays_on_one_line_with_sorted_keys() -> None:
    assert literal({"b": [1, 2], "a": None}) == '{"a": None, "b": [1, 2]}'


def test_long_literal_is_one_item_a_line() -> None:
    text = literal({"name": "x" * 50, "tag": "y" * 50})
    assert text == '{\n    "name": "' + "x" * 50 + '",\n    "tag": "' + "y" * 50 + '",\n}'


def test_deeply_nested_literal_is_laid_out_without_blowing_up() -> None:
    # the layout once re-rendered every child per level: 2**depth work (docker.yaml took 17 s)
    value: Any = "v" * 100
    for depth in range(60):
        value = {f"level{depth}": value}
    text = literal(value)
    assert text.count("\n") == 2 * 60
    compile(text, "<literal>", "eval")


def test_identifiers_do_not_shadow_builtins_keywords_or_fixtures() -> None:
    assert [identifier(n) for n in ("id", "type", "filter", "format", "list", "input", "hash")] == [
        "id_value", "type_value", "filter_value", "format_value", "list_value", "input_value",
        "hash_value",
    ]  # fmt: skip
    assert identifier("class") == "class_value"
    assert identifier("url") == "url_value"
    assert identifier("petId") == "pet_id"
