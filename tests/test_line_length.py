"""The line length a repository's tooling enforces, as manual cases respect it."""

from __future__ import annotations

import pytest

from bot.jobs.line_length import DEFAULT, line_length_of


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, DEFAULT),
        ({"pyproject.toml": b"[tool.ruff]\nline-length = 100\n"}, 100),
        ({"pyproject.toml": b"[tool.black]\nline-length = 79\n"}, 79),
        (
            {
                "ruff.toml": b"line-length = 120\n",
                "pyproject.toml": b"[tool.black]\nline-length = 79\n",
            },
            120,
        ),
        ({"setup.cfg": b"[flake8]\nmax-line-length = 99\n"}, 99),
        ({"pyproject.toml": b"not = [toml\n", ".flake8": b"[flake8]\nmax-line-length=110\n"}, 110),
        ({"pyproject.toml": b"[tool.ruff]\nline-length = 3\n"}, DEFAULT),
    ],
)
def test_the_first_tool_that_says_wins(files: dict[str, bytes], expected: int) -> None:
    assert line_length_of(files) == expected
