"""A tiny JSON-over-HTTP client for the reliability commands (standard library only)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Answer:
    """What came back: the status (0 when the connection failed) and the decoded body."""

    status: int
    body: Any
    content_type: str = ""

    @property
    def error_code(self) -> str | None:
        """``error.code`` of the API's error contract, when the body is one."""
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            code = self.body["error"].get("code")
            return str(code) if code is not None else None
        return None


def call(
    method: str, url: str, token: str | None = None, body: Any = None, timeout: float = 60
) -> Answer:
    """One request; HTTP errors are answers too, a refused or dropped connection is status 0."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _answer(response.status, response.read(), response.headers)
    except urllib.error.HTTPError as error:
        return _answer(error.code, error.read(), error.headers)
    except (OSError, urllib.error.URLError) as error:
        return Answer(0, str(error))


def _answer(status: int, raw: bytes, headers: Any) -> Answer:
    content_type = headers.get("Content-Type", "") if headers else ""
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = raw.decode(errors="replace")
    return Answer(status, body, content_type)
