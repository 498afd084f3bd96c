"""Report renderers by name, as the CLI's `--format` offers them."""

from __future__ import annotations

from collections.abc import Callable

from bot.validate.api import ValidationReport
from bot.validate.formats.codequality import render_codequality
from bot.validate.formats.json_report import render_json
from bot.validate.formats.junit import render_junit
from bot.validate.formats.markdown import render_markdown
from bot.validate.formats.text import render_text

FORMATS: dict[str, Callable[[ValidationReport], str]] = {
    "text": render_text,
    "json": render_json,
    "codequality": render_codequality,
    "junit": render_junit,
}

__all__ = ["FORMATS", "render_codequality", "render_json", "render_junit", "render_markdown"]
