"""Text from the repository or from people (tags, paths, file and test names, branch names,
MR titles, healed strings) reaches notes only through bot/markdown.py: it renders as code or
plain words, never as a mention, a link, HTML or an extra table cell."""

from __future__ import annotations

import re

from bot.analysis.coverage import CoverageDelta, coverage_report
from bot.analysis.coverage_render import coverage_markdown
from bot.analysis.dashboard import OpenMergeRequest, dashboard_markdown, requested
from bot.analysis.duplicates import DuplicateGroup
from bot.analysis.duplicates_render import duplicates_markdown
from bot.analysis.testmap import build_test_map
from bot.heal.engine import HealResult
from bot.heal.log import Action, Unhealable
from bot.jobs.heal_ci import Sorted, render
from bot.jobs.heal_command import log_markdown
from bot.markdown import code
from bot.scan.model import Endpoint

MENTION = re.compile(r"(?<![\w\u200b])@all\b")
TAG = "team|ops @all"
PATH = "/pets/`{id}`"
ODD_FILE = "tests/we`ird|dir/test_pets.py"


def _outside_code(markdown: str) -> str:
    """The text GitLab renders as Markdown: code spans (any fence length) taken out."""
    return re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", markdown)


def _cells(row: str) -> int:
    """Table cells in a row, as GitLab splits it (an escaped `\\|` does not split)."""
    return len(re.split(r"(?<!\\)\|", row.strip().strip("|")))


def _table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")]


def _endpoints() -> list[Endpoint]:
    return [
        Endpoint(method="GET", path="/pets", framework="fastapi", file="a.py", line=1, tags=[TAG]),
        Endpoint(method="GET", path=PATH, framework="fastapi", file="a.py", line=2, tags=[TAG]),
    ]


def test_coverage_section_keeps_tags_and_paths_inert() -> None:
    tests = {
        "test_pets.py": "def test_list(api):\n    assert api.get('/pets').status_code == 200\n"
    }
    before = coverage_report(_endpoints()[:1], build_test_map(tests, _endpoints()[:1]))
    after = coverage_report(_endpoints(), build_test_map(tests, _endpoints()))

    section = coverage_markdown(after, CoverageDelta(before, after), "main@all")

    assert not MENTION.search(section)
    assert {_cells(row) for row in _table_rows(section)} == {4}
    assert code(f"GET {PATH}") in section  # the path is one code span, its backticks inside


def test_duplicate_groups_keep_odd_file_names_inside_their_cell() -> None:
    group = DuplicateGroup((f"{ODD_FILE}::test_a", f"{ODD_FILE}::test_b"), 1.0)

    section = duplicates_markdown([group], 0.85, tests=2)

    assert {_cells(row) for row in _table_rows(section)} == {3}
    assert code(f"{ODD_FILE}::test_a", in_table=True) in section


def test_dashboard_shows_titles_branches_and_log_entries_as_text() -> None:
    report = coverage_report(_endpoints(), build_test_map({}, _endpoints()))
    title = "[free pets](https://evil.example) <img src=x> @all"
    mr = OpenMergeRequest(7, title, "feat`x@all", "http://gitlab/mr/7", "opened")
    log = [
        {
            "kind": "action",
            "sha": "a" * 40,
            "file": ODD_FILE,
            "line": 3,
            "rule": "path-renamed",
            "old": "/pets`@all",
            "new": "/animals",
        }
    ]

    issue = dashboard_markdown(report, [], [mr], log, "main`@all", "b" * 40)

    rendered = _outside_code(issue)
    assert not MENTION.search(rendered)
    assert "<img" not in rendered and "](https://evil.example)" not in rendered
    assert {_cells(row) for row in _table_rows(issue)} == {4}
    assert requested(issue.replace("- [ ] ", "- [x] ")) == [("GET", "/pets"), ("GET", PATH)]


def test_healing_log_and_regression_list_keep_test_text_inert() -> None:
    result = HealResult(
        actions=[Action(ODD_FILE, 3, "path-renamed", "/pets|`x` @all", "/animals", 0.95, True)],
        unhealable=[Unhealable(ODD_FILE, 9, "test_<b>@all</b>", "endpoint removed")],
    )
    failures = Sorted(
        regressions=[("tests.t::test_`x`@all", ["GET /pets|x"])], unmapped=["test_<img src=x>"]
    )

    notes = [log_markdown(result), render(failures, None, "c" * 40, 12)]

    for note in notes:
        rendered = _outside_code(note)
        assert not MENTION.search(rendered) and "<b>" not in rendered and "<img" not in rendered
        assert {_cells(row) for row in _table_rows(note)} <= {6}


def test_heal_answers_show_branch_names_as_code() -> None:
    from bot.jobs.heal_command import describe, report

    branch = "feat`@all <b>x</b>"
    notes = [
        report(None, HealResult(), None, branch, code("main")),
        describe(HealResult(), branch, "a" * 40, "a push"),
    ]

    for note in notes:
        rendered = _outside_code(note)
        assert not MENTION.search(rendered) and "<b>" not in rendered
        assert code(branch) in note
