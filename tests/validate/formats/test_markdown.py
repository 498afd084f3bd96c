"""The MR comment markdown: grouped by file, linked, capped."""

from bot.validate.api import Finding, ValidationReport
from bot.validate.formats.markdown import CLEAN, HEADING, MORE, render_markdown


def _link(file: str, line: int) -> str:
    return f"https://gitlab.example.com/p/-/blob/feature/{file}#L{line}"


def test_clean_report() -> None:
    assert (
        render_markdown(ValidationReport(3, []), _link) == f"{HEADING}\n\n{CLEAN.format(files=3)}\n"
    )


def test_findings_are_grouped_by_file_with_links_and_escaped_cells() -> None:
    findings = [
        Finding("missing-step", "a.py", 4, 5, "minor", "no | step"),
        Finding("missing-label", "b.py", 9, 5, "major", "no label"),
    ]
    text = render_markdown(ValidationReport(2, findings), _link)
    assert "#### `a.py`" in text and "#### `b.py`" in text
    assert text.index("#### `a.py`") < text.index("#### `b.py`")
    assert f"| [4]({_link('a.py', 4)}) | `missing-step` | minor | no \\| step |" in text


def test_findings_beyond_the_limit_are_counted_not_listed() -> None:
    findings = [Finding("missing-step", "a.py", n, 1, "minor", f"m{n}") for n in range(1, 8)]
    text = render_markdown(ValidationReport(1, findings), _link, limit=5)
    assert text.count("`missing-step`") == 5
    assert MORE.format(more=2) in text
