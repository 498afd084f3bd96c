"""Which lines of a comment are `/testgen` commands, and what help says."""

from __future__ import annotations

from bot import __version__
from bot.commands import COMMANDS, Command, help_text, one_help, parse_commands


def test_one_command_per_line_case_insensitive() -> None:
    note = "Please:\n/TestGen Generate GET /users/{id}\n/testgen VALIDATE all"
    assert parse_commands(note) == [
        Command("generate", ("GET", "/users/{id}")),
        Command("validate", ("all",)),
    ]


def test_text_without_commands_yields_none() -> None:
    assert parse_commands("LGTM, see /testgen docs later\n  testgen help") == []


def test_code_blocks_and_quotes_are_not_commands() -> None:
    note = "> /testgen generate\n```\n/testgen heal\n```\n~~~\n/testgen coverage\n~~~"
    assert parse_commands(note) == []


def test_unknown_word_and_bare_prefix_get_help() -> None:
    assert parse_commands("/testgen frobnicate now\n/testgen") == [
        Command("help", unknown="frobnicate"),
        Command("help"),
    ]


def test_the_help_lines_of_a_note_are_one_answer_naming_every_unknown_word() -> None:
    commands = parse_commands("/testgen frob\n/testgen report\n/testgen\n/testgen zork")
    assert one_help(commands) == [Command("help", unknown="frob zork"), Command("report")]
    assert one_help([Command("report"), Command("help")]) == [Command("report"), Command("help")]


def test_repeated_command_runs_once() -> None:
    assert parse_commands("/testgen help\n/testgen HELP") == [Command("help")]


def test_help_lists_every_command_and_the_version() -> None:
    text = help_text()
    for name in COMMANDS:
        assert f"/testgen {name}" in text
    assert __version__ in text


def test_help_names_the_unknown_word() -> None:
    assert "`frob` is not a testgen command" in help_text("frob")
    assert "`frob`, `zork` are not testgen commands" in help_text("frob zork")
