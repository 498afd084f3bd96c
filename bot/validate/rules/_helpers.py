"""Questions several rules ask about a test: which helpers it calls, what counts as a check."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.validate import _allure

if TYPE_CHECKING:
    from bot.validate.config import ValidateConfig
    from bot.validate.model import BodyEvent, FileModel, FunctionInfo, TestInfo


def local_function(model: FileModel, test: TestInfo, qualified: str | None) -> FunctionInfo | None:
    """The module function (or `self.` method of the test's class) a call refers to."""
    if qualified is None:
        return None
    if qualified.startswith(("self.", "cls.")) and test.class_names:
        return model.functions.get(f"{test.class_names[-1]}.{qualified.split('.', 1)[1]}")
    return model.functions.get(qualified)


def is_assertion(
    model: FileModel, test: TestInfo, event: BodyEvent, config: ValidateConfig
) -> bool:
    """An `assert`, `pytest.raises`, a configured helper, `assert*` method or asserting helper."""
    if event.kind == "assert":
        return True
    if event.kind != "call" or event.qualified is None:
        return False
    qualified = event.qualified
    last = qualified.rsplit(".", 1)[-1]
    helpers = config.assertion_helpers
    if qualified in helpers or last in helpers or last.lower().startswith("assert"):
        return True
    function = local_function(model, test, qualified)
    return function is not None and function.has_assert


def is_step(model: FileModel, test: TestInfo, event: BodyEvent) -> bool:
    """A `with allure.step(...)`, or a call to a helper decorated with `@allure.step` or
    opening a `with allure.step(...)` itself."""
    if event.kind == "step":
        return True
    if event.kind != "call":
        return False
    function = local_function(model, test, event.qualified)
    return function is not None and (function.is_step or function.has_step)


def is_api_call(test: TestInfo, event: BodyEvent, config: ValidateConfig) -> bool:
    """A call like `api.get(...)`: an HTTP method on a client fixture, parameter or module."""
    if event.kind != "call" or event.qualified is None or "." not in event.qualified:
        return False
    receiver, method = event.qualified.rsplit(".", 1)
    if method not in _allure.HTTP_METHODS and method != "request":
        return False
    root = receiver.split(".", 1)[0]
    return (
        receiver in config.client_fixtures
        or root in test.params
        or receiver in ("requests", "httpx")
        or (root == "self" and receiver.count(".") == 1)
    )
