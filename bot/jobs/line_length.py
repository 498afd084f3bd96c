"""The line length a repository's Python tooling enforces, read from its config files."""

from __future__ import annotations

import configparser
import tomllib
from collections.abc import Mapping

from bot.gitlab import GitLab
from bot.jobs.repo_files import read_files

DEFAULT = 88  # black's and ruff's default
FILES = ("pyproject.toml", "ruff.toml", ".ruff.toml", "setup.cfg", ".flake8", "tox.ini")


def _positive(value: object) -> int | None:
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if 20 <= number <= 1000 else None


def line_length_of(files: Mapping[str, bytes]) -> int:
    """ruff (pyproject or ruff.toml), then black, then flake8's `max-line-length`; else 88."""
    for name in ("ruff.toml", ".ruff.toml"):
        if name in files:
            try:
                found = _positive(tomllib.loads(files[name].decode()).get("line-length"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                found = None
            if found:
                return found
    if "pyproject.toml" in files:
        try:
            tool = tomllib.loads(files["pyproject.toml"].decode()).get("tool", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            tool = {}
        for section in ("ruff", "black"):
            found = _positive((tool.get(section) or {}).get("line-length"))
            if found:
                return found
    for name in (".flake8", "setup.cfg", "tox.ini"):
        if name in files:
            parser = configparser.ConfigParser()
            try:
                parser.read_string(files[name].decode())
            except (configparser.Error, UnicodeDecodeError):
                continue
            found = _positive(parser.get("flake8", "max-line-length", fallback=""))
            if found:
                return found
    return DEFAULT


async def repo_line_length(gitlab: GitLab, project_id: int, ref: str) -> int:
    return line_length_of(await read_files(gitlab, project_id, FILES, ref))
