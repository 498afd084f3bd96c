"""Wrap a test body into Arrange/Act/Assert steps, only where the split is unambiguous."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import libcst as cst

from bot.validate.rules._helpers import is_api_call, is_assertion

if TYPE_CHECKING:
    from bot.validate.config import ValidateConfig
    from bot.validate.model import FileModel, TestInfo

ARRANGE_TITLE = "Arrange: prepare the request"
ACT_TITLE = "Act: {endpoint}"
ACT_FALLBACK_TITLE = "Act: call the API"
ASSERT_TITLE = "Assert: check the response"


def _step(alias: str, title: str, statements: list[cst.BaseStatement]) -> cst.With:
    """`with <alias>.step(title):` around the statements; the first one's leading blank lines
    and comments stay in front of the `with`."""
    first = statements[0]
    leading: list[cst.EmptyLine] = []
    if isinstance(first, cst.SimpleStatementLine):
        leading = list(first.leading_lines)
        statements = [first.with_changes(leading_lines=()), *statements[1:]]
    call = cst.parse_expression(f"{alias}.step({json.dumps(title, ensure_ascii=False)})")
    return cst.With(
        items=[cst.WithItem(item=call)],
        body=cst.IndentedBlock(body=statements),
        leading_lines=leading,
    )


def split_body(
    model: FileModel, test: TestInfo, config: ValidateConfig, alias: str, endpoint: str | None
) -> cst.IndentedBlock | None:
    """The test body as Arrange (optional) / Act / Assert steps, or None when ambiguous.

    Unambiguous means: only simple one-statement lines (a leading docstring stays put);
    exactly one API call (`<client>.<http method>(...)`) in the whole body, and it is
    alone in its statement (the Act); no assertion before it; after it only assertions and
    assignments, with at least one assertion (the Assert)."""
    block = test.node.body
    if not isinstance(block, cst.IndentedBlock):
        return None
    statements = list(block.body)
    start = 1 if statements and _docstring(statements[0]) else 0
    if len(statements) - start < 2:
        return None
    for statement in statements[start:]:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return None
    api_calls = [e for e in test.events if is_api_call(test, e, config)]
    if len(api_calls) != 1:
        return None
    act = api_calls[0].top
    asserting = {e.top for e in test.events if is_assertion(model, test, e, config)}
    if act < start or any(top <= act for top in asserting):
        return None
    after = statements[act + 1 :]
    if not after or not any(act + 1 + i in asserting for i in range(len(after))):
        return None
    for index, statement in enumerate(after, start=act + 1):
        assert isinstance(statement, cst.SimpleStatementLine)
        if index not in asserting and not isinstance(statement.body[0], cst.Assign | cst.AnnAssign):
            return None
    act_title = ACT_TITLE.format(endpoint=endpoint) if endpoint else ACT_FALLBACK_TITLE
    steps: list[cst.BaseStatement] = list(statements[:start])
    if statements[start:act]:
        steps.append(_step(alias, ARRANGE_TITLE, statements[start:act]))
    steps.append(_step(alias, act_title, [statements[act]]))
    steps.append(_step(alias, ASSERT_TITLE, after))
    return block.with_changes(body=steps)


def _docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )
