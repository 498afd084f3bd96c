"""Label values an autofix can derive: feature from module or class, story from the endpoint
called, title from the function name."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import libcst as cst

from bot.validate import _allure
from bot.validate._literals import first_argument, literal_text, template_text

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_LEADING_FIELD = re.compile(r"^\{[^{}]*\}(?=/)")


def _words(name: str) -> list[str]:
    return [w for w in _CAMEL.sub("_", name).replace("-", "_").split("_") if w]


def feature_from_class(class_name: str) -> str | None:
    """`TestUserProfile` → `User Profile`."""
    words = _words(class_name.removeprefix("Test"))
    return " ".join(w[:1].upper() + w[1:] for w in words) or None


def feature_from_module(path: str) -> str | None:
    """`tests/test_user_profile.py` → `User Profile`."""
    stem = PurePosixPath(path.replace("\\", "/")).stem
    stem = stem.removeprefix("test_").removesuffix("_test")
    words = _words(stem)
    return " ".join(w[:1].upper() + w[1:] for w in words) or None


def title_from_function(name: str) -> str | None:
    """`test_get_user_returns_404` → `Get user returns 404`."""
    words = _words(name.removeprefix("test"))
    text = " ".join(words)
    return text[:1].upper() + text[1:] if text else None


def endpoint_of(call: cst.Call, method: str) -> str | None:
    """`api.get("/users/{id}")` → `GET /users/{id}` (f-string fields kept, base URL dropped)."""
    if method == "request":
        positional = [a.value for a in call.args if a.keyword is None]
        verb = literal_text(positional[0]) if positional else None
        target = positional[1] if len(positional) > 1 else None
        if verb is None or verb.lower() not in _allure.HTTP_METHODS:
            return None
        method = verb.lower()
    else:
        target = first_argument(call, "url")
    text = template_text(target)
    if text is None:
        return None
    if text.startswith(("http://", "https://")):
        text = urlsplit(text).path or "/"
    text = _LEADING_FIELD.sub("", text)
    if not text.startswith("/"):
        return None
    return f"{method.upper()} {text.split('?', 1)[0]}"
