"""The values that cross the LLM boundary: chat messages, completions and failures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypedDict

Role = Literal["system", "user", "assistant"]
FailureKind = Literal["timeout", "error", "invalid"]


class Message(TypedDict):
    """One chat message, as the chat-completions API takes it."""

    role: Role
    content: str


@dataclass(frozen=True)
class Completion:
    """The text the model answered; `cached` when it came from the cache, not the server."""

    text: str
    cached: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass(frozen=True)
class LLMFailure:
    """Why no completion came back: `timeout`, `error` (transport, HTTP status) or `invalid`
    (the server answered without usable text). `detail` is short and safe to show."""

    kind: FailureKind
    detail: str = ""

    @property
    def reason(self) -> str:
        return f"{self.kind}: {self.detail}" if self.detail else self.kind
