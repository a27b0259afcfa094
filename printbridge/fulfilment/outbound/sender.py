"""Posting one signed webhook: explicit timeouts, no redirects, no retries here (the delivery service retries)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from printbridge.fulfilment.outbound.urls import DestinationRefused, check_destination

TIMEOUT = httpx.Timeout(10.0, connect=3.0)
USER_AGENT = "Printbridge-Webhooks/1.0"


@dataclass(frozen=True)
class Attempt:
    ok: bool
    status: int | None = None
    error: str = ""


class WebhookSender:
    def __init__(self, timeout: httpx.Timeout = TIMEOUT) -> None:
        self._read_timeout = timeout.read or 0.0
        self._http = httpx.Client(timeout=timeout, follow_redirects=False, headers={"user-agent": USER_AGENT})

    def post(self, url: str, headers: dict[str, str], body: bytes) -> Attempt:
        try:
            check_destination(url)
            with self._http.stream("POST", url, content=body, headers=headers) as response:
                snippet = next(response.iter_bytes(512), b"")[:200].decode("utf-8", "replace")
        except DestinationRefused as exc:
            return Attempt(False, None, str(exc))
        except httpx.TimeoutException:
            return Attempt(False, None, f"no answer within {self._read_timeout:g} s")
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            return Attempt(False, None, f"could not connect: {exc}"[:500])
        if 200 <= response.status_code < 300:
            return Attempt(True, response.status_code)
        return Attempt(False, response.status_code, f"HTTP {response.status_code}: {snippet}".strip()[:500])

    def close(self) -> None:
        self._http.close()
