"""hardcoded-secret: a password, token or API key written into the test as a literal."""

from __future__ import annotations

import base64
import math
import re
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

import libcst as cst

from bot.validate._literals import literal_text
from bot.validate.rules.base import Rule, Violation

if TYPE_CHECKING:
    from bot.validate.config import ValidateConfig
    from bot.validate.model import FileModel

MESSAGE = "`{name}` looks like a hard-coded secret; read it from the environment instead"
FORMAT_MESSAGE = "string looks like a {kind}; read it from the environment instead"

# cheap pre-filter on the whole file: without one of these no rule below can fire
_HINTS = ("pass", "pwd", "secret", "token", "key", "auth", "bearer", "gh", "glpat-", "xox")
_FORMAT_HINT = re.compile(r"AKIA|eyJ|PRIVATE KEY")
_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}")),
    ("GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_\-]{20,}")),
    ("AWS access key", re.compile(r"\bAKIA[0-9A-Z]{16}\b")),
    ("Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9\-]{10,}")),
    ("JSON Web Token", re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[\w\-]{8,}")),
    ("private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
)
_AUTH_HEADER = re.compile(r"^\s*(bearer|basic|token|apikey|digest)\s+(\S{8,})\s*$", re.I)
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "passphrase"})
_SECRET_WORDS = frozenset({"secret", "token", "apikey", "accesskey", "privatekey"})
_KEY_QUALIFIERS = frozenset({"api", "access", "private", "secret", "auth", "signing"})
_NOT_SECRET_WORDS = frozenset(
    {
        "url", "uri", "endpoint", "path", "name", "type", "field", "header", "id", "len",
        "length", "count", "file", "env", "var", "prefix", "format", "pattern", "regex",
        "expires", "expiry", "ttl", "label", "kind", "mode", "policy", "hint", "param",
        "location", "method", "min", "max", "hash", "hashed", "reset", "confirm", "new",
        "old", "wrong", "invalid", "bad", "fake", "dummy", "test", "mock",
    }
)  # fmt: skip
_PLACEHOLDERS = (
    "xxx", "***", "...", "<", ">", "${", "{", "example", "placeholder", "dummy", "fake",
    "invalid", "wrong", "your", "redacted", "todo", "test", "change", "secret", "password",
    "token", "sample", "mock", "[filtered]", "masked",
)  # fmt: skip


def _words(name: str) -> set[str]:
    return {word.lower() for word in _WORDS.findall(name)}


def _placeholder(value: str) -> bool:
    lowered = value.lower()
    return any(marker in lowered for marker in _PLACEHOLDERS) or len(set(value)) < 4


def _basic_decoded(credential: str) -> str:
    """`dXNlcm5hbWU6cGFzc3dvcmQ=` → `username:password`: Basic credentials judged decoded."""
    try:
        decoded = base64.b64decode(credential, validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return credential
    return decoded if ":" in decoded else credential


def _entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def _random_looking(value: str) -> bool:
    return (
        len(value) >= 16
        and not any(c.isspace() for c in value)
        and any(c.isdigit() for c in value)
        and _entropy(value) >= 3.0
    )


def secret_kind(name: str, value: str) -> bool:
    """Whether `name = value` looks like a real credential (few false positives by design)."""
    if not value or _placeholder(value):
        return False
    if name.strip().lower() in ("authorization", "proxy-authorization"):
        match = _AUTH_HEADER.match(value)
        return match is not None and not _placeholder(_basic_decoded(match.group(2)))
    words = _words(name)
    if words & _NOT_SECRET_WORDS:
        return False
    if words & _PASSWORD_WORDS:
        return len(value) >= 6 and not any(c.isspace() for c in value)
    secretish = bool(words & _SECRET_WORDS) or ("key" in words and bool(words & _KEY_QUALIFIERS))
    return secretish and _random_looking(value)


def format_kind(value: str) -> str | None:
    """The well-known token format `value` contains (any name), else None."""
    return next((kind for kind, pattern in _FORMATS if pattern.search(value)), None)


def looks_secret(name: str | None, value: str) -> bool:
    """Whether this rule fires on `name = value`: what code writing tests must not emit."""
    return format_kind(value) is not None or (name is not None and secret_kind(name, value))


class HardcodedSecret(Rule):
    """Names: assignment targets, keyword arguments and literal dict keys. A password-like
    name with a literal of 6+ characters fires; token/secret/API-key names fire only for
    random-looking literals (16+ characters, digits, entropy ≥ 3 bits); an `Authorization`
    value fires for `Bearer <literal>` and the like. Well-known token formats (GitHub,
    GitLab, AWS, Slack, JWT, private keys) fire under any name. Placeholders (`<token>`,
    `xxx`, `fake`, `test`, …) and names about secrets (`token_url`, `password_field`) do not."""

    id = "hardcoded-secret"
    severity = "critical"

    def check(self, model: FileModel, config: ValidateConfig) -> Iterator[Violation]:
        lowered = model.source.lower()
        if not any(hint in lowered for hint in _HINTS) and not _FORMAT_HINT.search(model.source):
            return
        for name, node, scope in self._pairs(model):
            value = literal_text(node)
            if value is None:
                continue
            kind = format_kind(value)
            if kind is not None:
                yield Violation(node, FORMAT_MESSAGE.format(kind=kind), scope)
            elif name is not None and secret_kind(name, value):
                yield Violation(node, MESSAGE.format(name=name), scope)

    def _pairs(self, model: FileModel) -> Iterator[tuple[str | None, cst.CSTNode, str]]:
        for name, value, scope in model.assignments:
            yield name, value, scope
        for call, _, scope in model.calls:
            for arg in call.args:
                yield (arg.keyword.value if arg.keyword else None), arg.value, scope
        for mapping, scope in model.dicts:
            for element in mapping.elements:
                if isinstance(element, cst.DictElement):
                    yield literal_text(element.key), element.value, scope
