"""Duplicate groups for people: the MR section (headline, collapsed groups) and a terminal
table."""

from __future__ import annotations

from bot.analysis._fit import SECTION_BUDGET, Collapsed, fit
from bot.analysis.duplicates import DuplicateGroup
from bot.markdown import code

HEADING = "#### Duplicate tests"
NONE_FOUND = "No near-identical tests (similarity ≥ {threshold:.2f}) among {tests} tests."
FOUND = (
    "**{groups} group(s)** of near-identical tests (similarity ≥ {threshold:.2f}), "
    "{copies} test(s) that repeat another"
)
ADVICE = "Merge each group into one parametrized test, or make the copies check something else."


def _test_link(test_id: str) -> str:
    return code(test_id, in_table=True)


def duplicates_markdown(
    groups: list[DuplicateGroup], threshold: float, tests: int, budget: int = SECTION_BUDGET
) -> str:
    """The duplicates section of the MR comment (and the `/testgen duplicates` answer)."""
    if not groups:
        return "\n".join([HEADING, "", NONE_FOUND.format(threshold=threshold, tests=tests)]) + "\n"
    copies = sum(len(g.tests) - 1 for g in groups)
    head = [
        HEADING,
        "",
        FOUND.format(groups=len(groups), threshold=threshold, copies=copies),
        "",
        ADVICE,
    ]
    rows = [
        f"| {n} | {g.similarity:.2f} | {'<br>'.join(_test_link(t) for t in g.tests)} |"
        for n, g in enumerate(groups, 1)
    ]
    block = Collapsed(
        f"Groups ({len(groups)})", rows, ("| # | Similarity | Tests |", "| ---: | ---: | --- |")
    )
    return fit(head, [block], "duplicates", budget)


def duplicates_table(groups: list[DuplicateGroup], threshold: float) -> str:
    if not groups:
        return f"no near-identical tests (similarity >= {threshold:.2f})\n"
    lines = []
    for n, group in enumerate(groups, 1):
        lines.append(f"group {n}  similarity {group.similarity:.2f}")
        lines += [f"  {test}" for test in group.tests]
    return "\n".join(lines) + "\n"
