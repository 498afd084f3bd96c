"""Markdown that fits a budget: collapsed lists shortened, never the headline, with a note."""

from __future__ import annotations

from dataclasses import dataclass

# GitLab refuses notes over 1,000,000 characters; the summary comment holds several sections
SECTION_BUDGET = 200_000
MORE = "_…and {n} more; `testgen {command}` on a checkout lists them all._"


@dataclass
class Collapsed:
    """A `<details>` block: a summary line and its rows (table rows or list items)."""

    summary: str
    rows: list[str]
    header: tuple[str, ...] = ()


def _details(block: Collapsed, shown: int, command: str) -> str:
    rows = block.rows[:shown]
    lines = [f"<details><summary>{block.summary}</summary>", "", *block.header, *rows]
    if shown < len(block.rows):
        lines += ["", MORE.format(n=len(block.rows) - shown, command=command)]
    lines += ["", "</details>"]
    return "\n".join(lines)


def fit(
    head: list[str], blocks: list[Collapsed], command: str, budget: int = SECTION_BUDGET
) -> str:
    """`head` then each block collapsed; the longest blocks lose rows until all fits `budget`."""
    shown = [len(b.rows) for b in blocks]

    def render() -> str:
        parts = [
            "\n".join(head),
            *(_details(b, n, command) for b, n in zip(blocks, shown, strict=True)),
        ]
        return "\n\n".join(p for p in parts if p) + "\n"

    text = render()
    while len(text) > budget and any(shown):
        longest = max(range(len(blocks)), key=lambda i: shown[i])
        over = len(text) - budget
        average = max(
            1,
            sum(len(r) + 1 for r in blocks[longest].rows[: shown[longest]])
            // max(1, shown[longest]),
        )
        shown[longest] = max(0, shown[longest] - max(1, over // average + 1))
        text = render()
    return text
