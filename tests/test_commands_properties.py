"""The command parser on any comment: bounded, ordered, duplicate-free, prefix-stable."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.commands import COMMANDS, Command, parse_commands

LINES = st.one_of(
    st.builds(
        lambda words: "/testgen " + " ".join(words),
        st.lists(st.sampled_from([*COMMANDS, "x", "GET", "/a", "`@all`", "all"]), max_size=3),
    ),
    st.sampled_from(["```", "~~~", "> /testgen help", "", "  /TESTGEN help", "/testgenx"]),
    st.text(max_size=20),
)
NOTES = st.lists(LINES, max_size=40).map("\n".join)


@given(NOTES, st.integers(min_value=1, max_value=6))
@settings(max_examples=300, deadline=None)
def test_a_limited_parse_is_the_start_of_the_full_one(note: str, limit: int) -> None:
    full = parse_commands(note)
    limited = parse_commands(note, limit=limit)
    assert limited == full[: limit + 1]
    assert len(set(full)) == len(full)  # duplicates collapse


@given(NOTES)
@settings(max_examples=300, deadline=None)
def test_every_command_is_known_or_help_with_the_unknown_word(note: str) -> None:
    for command in parse_commands(note):
        assert isinstance(command, Command)
        assert command.name in COMMANDS or command.name in {"heal", "coverage", "duplicates"}
        assert command.unknown is None or command.name == "help"


@given(NOTES, st.lists(st.text(alphabet="abc xyz.,!", max_size=30), max_size=10))
@settings(max_examples=200, deadline=None)
def test_prose_between_commands_changes_nothing(note: str, prose: list[str]) -> None:
    padded = "\n".join([*prose, note, *prose])
    assert parse_commands(padded) == parse_commands(note)


def test_twenty_thousand_lines_parse_once_each_and_stop_at_the_limit() -> None:
    note = "\n".join(f"/testgen help w{n}" for n in range(20_000))
    assert len(parse_commands(note)) == 20_000
    assert [c.args for c in parse_commands(note, limit=5)] == [(f"w{n}",) for n in range(6)]
