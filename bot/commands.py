"""Parsing `/testgen <command> [args]` lines out of a merge request comment."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot import __version__
from bot.markdown import code

PREFIX = "/testgen"
MAX_WORDS = 32  # of one command line; the rest of a longer line is not read
# lines that open or close a fence, or may hold a command (a quote starts with `>`: never)
_CANDIDATE = re.compile(r"^[ \t]*(```.*|~~~.*|/testgen(?:[ \t].*)?)[ \t]*$", re.M | re.I)
# the commands this version runs: command → (argument synopsis, what it does)
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
    "report": ("", "what this MR changes in the API: endpoints added, removed, changed, moved"),
    "heal": ("", "repair the MR's tests against its target branch's API, as a follow-up MR"),
    "coverage": ("", "which endpoints the tests reach, against the target branch"),
    "duplicates": ("", "groups of near-identical tests, with their similarity"),
}
# announced for a later version: understood (and answered "not available yet"), never listed
PLANNED: frozenset[str] = frozenset()
UNKNOWN_ONE = "{word} is not a testgen command."
UNKNOWN_MANY = "{words} are not testgen commands."
NOT_AVAILABLE = "`/testgen {name}` is not available in this version of testgen-bot yet."


@dataclass(frozen=True)
class Command:
    name: str
    args: tuple[str, ...] = ()
    unknown: str | None = None  # words that were not commands (space-separated), for "help"


def parse_commands(note: str, limit: int | None = None) -> list[Command]:
    """Every `/testgen` line of a note, in order, skipping code blocks and quotes.

    Matching is case-insensitive for the prefix and the command word; arguments keep their case.
    A line with no command word or an unknown one becomes `help` (carrying the unknown word).
    Identical commands in one note run once. With `limit`, reading stops at the command after
    the limit (so a caller can tell there were more): a huge comment costs what its first lines
    cost, and lines without a command are skipped by one regex scan.
    """
    commands: dict[Command, None] = {}
    fenced = False
    for match in _CANDIDATE.finditer(note):
        line = match.group(1)
        if line.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        words = line.split(maxsplit=MAX_WORDS)[:MAX_WORDS]
        if fenced or words[0].lower() != PREFIX:
            continue
        commands.setdefault(_command(words[1:]))
        if limit is not None and len(commands) > limit:
            break
    return list(commands)


def one_help(commands: list[Command]) -> list[Command]:
    """The help lines of a note (bare prefix, `help`, unknown words) as one answer, where the
    first of them stood: the help text once, naming every unknown word (space-joined: words
    hold no spaces)."""
    helps = [c for c in commands if c.name == "help"]
    if len(helps) < 2:
        return commands
    words = dict.fromkeys(w for c in helps if c.unknown for w in c.unknown.split())
    merged = Command("help", unknown=" ".join(words) or None)
    first = commands.index(helps[0])
    rest = [c for c in commands if c.name != "help"]
    return [*rest[:first], merged, *rest[first:]]


def _command(words: list[str]) -> Command:
    if not words:
        return Command("help")
    name = words[0].lower()
    if name not in COMMANDS and name not in PLANNED:
        return Command("help", unknown=words[0])
    return Command(name, tuple(words[1:]))


def help_text(unknown: str | None = None) -> str:
    """The markdown answer to `/testgen help`."""
    lines = []
    words = unknown.split() if unknown else []
    if len(words) == 1:
        lines += [UNKNOWN_ONE.format(word=code(words[0])), ""]
    elif words:
        lines += [UNKNOWN_MANY.format(words=", ".join(code(w) for w in words)), ""]
    lines += ["| command | what it does |", "|---|---|"]
    for name, (synopsis, description) in COMMANDS.items():
        usage = f"{PREFIX} {name} {synopsis}".rstrip()
        lines.append(f"| `{usage}` | {description} |")
    lines += ["", f"testgen-bot {__version__} · one command per line, case-insensitive."]
    return "\n".join(lines)
