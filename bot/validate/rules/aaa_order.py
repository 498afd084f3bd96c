"""aaa-order: Arrange/Act/Assert steps out of order, or assertions where they do not belong."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.validate._literals import literal_text
from bot.validate.rules._helpers import is_assertion
from bot.validate.rules.base import Rule, Violation

if TYPE_CHECKING:
    from bot.validate.config import ValidateConfig
    from bot.validate.model import FileModel, TestInfo

STEP_MESSAGE = "step `{title}` ({phase}) comes after a later phase ({previous})"
EARLY_MESSAGE = "assertion in `{test}` comes before its Act step"
OUTSIDE_MESSAGE = "assertion in `{test}` is outside its Arrange/Act/Assert steps"

_RANK = {"arrange": 0, "act": 1, "assert": 2}


class AaaOrder(Rule):
    """Applies to tests with at least one step whose title starts (case-insensitively) with
    Arrange, Act or Assert (Given, When, Then are synonyms). In body order:

    1. a phase step must not follow a step of a later phase (Arrange → Act → Assert);
    2. no assertion may come before the first Act step starts (inside an Arrange step or
       outside any step); a `pytest.raises` inside the Act step is part of the Act;
    3. no assertion may sit outside every step once the first phase step has started.

    Steps with other titles are neutral. One finding per test: the first breach.
    """

    id = "aaa-order"
    severity = "minor"

    def check(self, model: FileModel, config: ValidateConfig) -> Iterator[Violation]:
        for test in model.tests:
            violation = self._first_breach(model, test, config)
            if violation is not None:
                yield violation

    def _first_breach(
        self, model: FileModel, test: TestInfo, config: ValidateConfig
    ) -> Violation | None:
        phased = [e for e in test.events if e.kind == "step" and e.phase is not None]
        if not phased:
            return None
        first_act = next((e for e in phased if e.phase == "act"), None)
        started = False
        latest: str | None = None
        name = test.node.name.value
        for event in test.events:
            if event.kind == "step" and event.phase is not None:
                if event is first_act:
                    first_act = None
                started = True
                if latest is not None and _RANK[event.phase] < _RANK[latest]:
                    assert event.step is not None
                    title = literal_text(event.step.title) or "?"
                    message = STEP_MESSAGE.format(title=title, phase=event.phase, previous=latest)
                    return Violation(event.node, message, test.qualname)
                if latest is None or _RANK[event.phase] > _RANK[latest]:
                    latest = event.phase
                continue
            if not is_assertion(model, test, event, config):
                continue
            if first_act is not None:
                return Violation(event.node, EARLY_MESSAGE.format(test=name), test.qualname)
            if started and event.step is None:
                return Violation(event.node, OUTSIDE_MESSAGE.format(test=name), test.qualname)
        return None
