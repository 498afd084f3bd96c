"""The openai client over respx: openai speaks httpx2, which respx does not patch."""

from __future__ import annotations

import httpx
import httpx2
import respx


def over_respx(router: respx.Router) -> httpx2.AsyncClient:
    """An httpx2 client for `openai.AsyncOpenAI(http_client=…)` whose requests `router` answers
    (routes, side effects and call counts as usual; httpx transport errors become httpx2's)."""

    async def handle(request: httpx2.Request) -> httpx2.Response:
        try:
            response = await router.async_handler(request)  # type: ignore[arg-type]
        except httpx.TimeoutException as error:
            raise httpx2.ReadTimeout(str(error), request=request) from error
        except httpx.TransportError as error:
            raise httpx2.ConnectError(str(error), request=request) from error
        return httpx2.Response(
            response.status_code, headers=response.headers.raw, content=response.content
        )

    return httpx2.AsyncClient(transport=httpx2.MockTransport(handle))
