"""Whatever a user writes, the bot's notes render it as text: no image, link, mention or tag.

Rendered with a CommonMark parser (markdown-it-py, tables on, raw HTML on as GitLab allows it).
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.markdown import code, plain

MD = MarkdownIt("commonmark", {"html": True}).enable("table")
FORBIDDEN = {"image", "link_open", "html_inline", "html_block", "autolink"}
MENTION = re.compile(r"@[A-Za-z0-9_.\-]")  # what GitLab turns into a mention
# text made of the characters that matter to Markdown, plus anything else
PIECES = [*"`*_[]()!<>@&#|\\\n\r \t~:/.-=\"'", "![a](b)", "<img>", "@all", "](http://x)"]
NASTY = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=30).map("".join)
ATTACKS = [
    "x`![a](https://evil.example/p.png)",
    "`[click](https://evil.example)`",
    "x`@all",
    "<img src=x onerror=alert(1)>",
    "a\n\n![a](b)",
    "``` ` ``",
    " ` ",
    "",
    "`",
    "@",
]


def walk(tokens: list[Token]) -> list[Token]:
    out = []
    for token in tokens:
        out.append(token)
        out += walk(token.children or [])
    return out


def displayed(text: str) -> str:
    """What the reader sees for `text`: line breaks as spaces, `@` followed by a zero-width
    space (the only change besides those)."""
    return re.sub(r"[\r\n\u0085\u2028\u2029\v\f]+", " ", text).replace("@", "@\u200b")


def assert_inert(tokens: list[Token]) -> None:
    for token in walk(tokens):
        assert token.type not in FORBIDDEN, token
        assert not MENTION.search(token.content if not token.children else ""), token


def with_attacks(test):  # type: ignore[no-untyped-def]
    for attack in ATTACKS:
        test = example(attack)(test)
    return test


@given(NASTY)
@with_attacks
@settings(max_examples=200, deadline=None)
def test_a_code_span_shows_exactly_the_text_and_nothing_else(text: str) -> None:
    tokens = MD.parse(f"unknown word {code(text, limit=10_000)} here")
    assert_inert(tokens)
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    children = tokens[1].children or []
    assert [t.type for t in children] == ["text", "code_inline", "text"]
    assert children[1].content == (displayed(text).replace("\x00", "\ufffd") or " ")


@given(NASTY, NASTY)
@settings(max_examples=200, deadline=None)
def test_a_table_cell_stays_one_cell(first: str, second: str) -> None:
    row = f"| {code(first, in_table=True, limit=10_000)} | {code(second, in_table=True)} |"
    tokens = MD.parse(f"| a | b |\n|---|---|\n{row}\n")
    assert_inert(tokens)
    cells = [t for t in walk(tokens) if t.type == "td_open"]
    assert len(cells) == 2


@given(NASTY)
@with_attacks
@settings(max_examples=200, deadline=None)
def test_plain_text_renders_as_the_same_text(text: str) -> None:
    tokens = MD.parse(f"Title: {plain(text, limit=10_000)}")
    assert_inert(tokens)
    shown = "".join(t.content for t in walk(tokens) if t.type in ("text", "code_inline"))
    expected = "Title: " + displayed(text).replace("\x00", "\ufffd")
    assert shown.rstrip() == expected.rstrip()


def test_the_issue_s_attacks_render_as_code() -> None:
    for attack in ATTACKS:
        html = MD.render(f"`/testgen` {code(attack)}")
        assert "<img" not in html and "<a " not in html and "@all" not in html
