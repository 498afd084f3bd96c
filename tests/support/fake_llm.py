"""An OpenAI-compatible chat-completions server for end-to-end tests, served over real HTTP.

It "improves" a baseline module by returning it with a closing comment, the way a model that
keeps every test would; it counts the calls it answered.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

REVIEWED = "# Reviewed by the model."
_BASELINE = re.compile(r"## Baseline module.*?```python\n(.*?)```", re.DOTALL)


@dataclass
class FakeLLM:
    calls: list[str] = field(default_factory=list)  # the model asked for, per call

    def app(self) -> Starlette:
        async def completions(request: Request) -> JSONResponse:
            body = await request.json()
            self.calls.append(body["model"])
            user = next(m["content"] for m in body["messages"] if m["role"] == "user")
            found = _BASELINE.search(user)
            module = (found.group(1) if found else "").rstrip() + f"\n\n{REVIEWED}\n"
            return JSONResponse(
                {
                    "id": f"chatcmpl-{len(self.calls)}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body["model"],
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": f"```python\n{module}```"},
                        }
                    ],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
                }
            )

        return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])
