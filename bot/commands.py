"""Parsing `/testgen <command> [args]` lines out of a merge request comment."""

from __future__ import annotations

from dataclasses import dataclass

from bot import __version__

PREFIX = "/testgen"
# command → (argument synopsis, what it does, available yet?)
COMMANDS: dict[str, tuple[str, str]] = {
    "help": ("", "show this list"),
    "generate": (
        "[--kind functional|security|performance|all] [METHOD PATH …]",
        "open or update a follow-up MR with generated tests",
    ),
    "validate": (
        "[all]",
        "check the tests this MR changes (`all`: the whole suite) for Allure rules",
    ),
    "manual": ("", "write Allure manual test cases from the MR description's requirements"),
    "heal": ("", "update tests for endpoints this MR changed"),
    "coverage": ("", "which endpoints have tests"),
    "duplicates": ("", "near-identical tests"),
    "report": ("", "what this MR changes in the API: endpoints added, removed, changed, moved"),
}
NOT_AVAILABLE = "`/testgen {name}` is not available in this version of testgen-bot yet."


@dataclass(frozen=True)
class Command:
    name: str
    args: tuple[str, ...] = ()
    unknown: str | None = None  # the word that was not a command, when `name` is "help"


def parse_commands(note: str) -> list[Command]:
    """Every `/testgen` line of a note, in order, skipping code blocks and quotes.

    Matching is case-insensitive for the prefix and the command word; arguments keep their case.
    A line with no command word or an unknown one becomes `help` (carrying the unknown word).
    Identical commands in one note run once.
    """
    commands: list[Command] = []
    fenced = False
    for raw in note.splitlines():
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or line.startswith(">"):
            continue
        words = line.split()
        if not words or words[0].lower() != PREFIX:
            continue
        command = _command(words[1:])
        if command not in commands:
            commands.append(command)
    return commands


def _command(words: list[str]) -> Command:
    if not words:
        return Command("help")
    name = words[0].lower()
    if name not in COMMANDS:
        return Command("help", unknown=words[0])
    return Command(name, tuple(words[1:]))


def help_text(unknown: str | None = None) -> str:
    """The markdown answer to `/testgen help`."""
    lines = []
    if unknown:
        lines += [f"`{unknown}` is not a testgen command.", ""]
    lines += ["| command | what it does |", "|---|---|"]
    for name, (synopsis, description) in COMMANDS.items():
        usage = f"{PREFIX} {name} {synopsis}".rstrip()
        lines.append(f"| `{usage}` | {description} |")
    lines += ["", f"testgen-bot {__version__} · one command per line, case-insensitive."]
    return "\n".join(lines)
