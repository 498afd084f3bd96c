"""The one way user-supplied text goes into the bot's notes: as inert Markdown."""

from __future__ import annotations

import re

_BACKTICKS = re.compile(r"`+")
_LINE_BREAKS = re.compile(r"[\r\n\u0085\u2028\u2029\v\f]+")
# a zero-width space after `@` keeps `@all` / `@user` from becoming a mention
_AT = "@\u200b"
MAX_CHARS = 200


def code(text: object, *, limit: int = MAX_CHARS, in_table: bool = False) -> str:
    """`text` as one inline code span nothing inside can end: the fence is longer than any
    run of backticks in it, line breaks become spaces (a blank line would end the span), `@`
    cannot mention; `in_table`: `|` cannot split the cell. Long text is cut with an ellipsis."""
    value = _LINE_BREAKS.sub(" ", str(text))
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    value = value.replace("@", _AT).replace("\x00", "\ufffd")
    if in_table:
        value = value.replace("|", "\\|")
    longest = max((len(run) for run in _BACKTICKS.findall(value)), default=0)
    fence = "`" * (longest + 1)
    # CommonMark strips one space on each side when both are there: pad so edge backticks
    # and edge spaces survive
    return f"{fence} {value} {fence}"


def plain(text: object, *, limit: int = MAX_CHARS) -> str:
    """`text` as literal prose: every Markdown punctuation character backslash-escaped, HTML
    special characters as entities, `@` and line breaks neutralised."""
    value = _LINE_BREAKS.sub(" ", str(text))
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    out = []
    for char in value:
        if char == "&":
            out.append("&amp;")
        elif char == "<":
            out.append("&lt;")
        elif char == ">":
            out.append("&gt;")
        elif char == "@":
            out.append("&#64;\u200b")
        elif char == "\x00":
            out.append("\ufffd")
        elif char in _PUNCTUATION:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


_PUNCTUATION = frozenset("!\"#$%'()*+,-./:;=?[\\]^_`{|}~")
