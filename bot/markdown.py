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
    # a backtick at an edge would merge with the fence; CommonMark strips one space from each
    # side when both are there: pad in those cases (an empty span would not be one at all)
    if not value:
        return "` `"  # an empty pair of backticks would not be a code span
    edges = value[:1] + value[-1:]
    stripped = value[0] == " " == value[-1] and value.strip(" ")  # all spaces: not stripped
    pad = " " if "`" in edges or stripped else ""
    return f"{fence}{pad}{value}{pad}{fence}"


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
