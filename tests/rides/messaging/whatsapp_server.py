"""A local HTTP server that answers like the WhatsApp Cloud API's messages endpoint.

``POST /{version}/{phone_number_id}/messages`` with ``Authorization: Bearer <token>``: a
request that is not a documented template message is refused as Meta does (HTTP 400, error
100 "Invalid parameter"), a wrong token with error 190; otherwise the server answers what the
test scripted (by default the documented 200 with a fresh wamid). Answers are copied from the
documentation (tests/rides/messaging/whatsapp_examples.py).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

from tests.local_http import QuietHandler, running
from tests.rides.messaging import whatsapp_examples as examples

VERSION = "v25.0"
TOKEN = "EAAJB-test-token"


@dataclass
class Seen:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeCloudApi:
    """What the server answers; tests push answers to script failures."""

    #: (HTTP status, JSON body or raw bytes, seconds to wait first), used in order.
    script: list[tuple[int, Any, float]] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def answer(self, seen: Seen) -> tuple[int, bytes]:
        with self.lock:
            self.seen.append(seen)
            scripted = self.script.pop(0) if self.script else None
        refused = self.refusal(seen)
        if refused is not None:
            return 400 if refused["error"]["code"] == 100 else 401, json.dumps(refused).encode()
        if scripted is None:
            wamid = f"wamid.TEST{next(self.counter):06d}"
            return 200, json.dumps(examples.sent(seen.body["to"], wamid)).encode()
        status, body, delay = scripted
        time.sleep(delay)
        return status, body if isinstance(body, bytes) else json.dumps(body).encode()

    def phone_number(self, seen: Seen) -> tuple[int, bytes]:
        """The documented phone number object, or Meta's error for a wrong token or id."""
        with self.lock:
            self.seen.append(seen)
        if seen.headers.get("authorization") != f"Bearer {TOKEN}":
            error = examples.error(190, "Error validating access token", "Invalid OAuth token.")
            return 401, json.dumps(error).encode()
        if seen.path.split("?")[0] != f"/{VERSION}/{examples.PHONE_NUMBER_ID}":
            error = examples.error(100, "(#100) Invalid parameter", "Unknown path components")
            return 400, json.dumps(error).encode()
        return 200, json.dumps(examples.PHONE_NUMBER).encode()

    def refusal(self, seen: Seen) -> dict[str, Any] | None:
        """Meta's error for a request that breaks the documented format, None if it is fine."""
        if seen.headers.get("authorization") != f"Bearer {TOKEN}":
            return examples.error(190, "Error validating access token", "Invalid OAuth token.")
        parts = seen.path.strip("/").split("/")
        body = seen.body
        template = body.get("template") if isinstance(body, dict) else None
        valid = (
            parts == [VERSION, examples.PHONE_NUMBER_ID, "messages"]
            and isinstance(template, dict)
            and body.get("messaging_product") == "whatsapp"
            and body.get("recipient_type") == "individual"
            and body.get("type") == "template"
            and str(body.get("to", "")).isdigit()
            and isinstance(template.get("name"), str)
            and isinstance(template.get("language", {}).get("code"), str)
            and all(
                c.get("type") == "body"
                and all(p.get("type") == "text" and p.get("text") for p in c["parameters"])
                for c in template.get("components", [])
            )
        )
        if valid:
            return None
        return examples.error(100, "(#100) Invalid parameter", "Invalid parameter")


class _Handler(QuietHandler):
    server: _Server

    def do_GET(self) -> None:
        """Answer GET /{version}/{phone_number_id}: the business phone number's fields."""
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, payload = self.server.api.phone_number(Seen(self.path, headers, None))
        self._send(status, payload)

    def do_POST(self) -> None:
        """Answer a POST to the messages endpoint."""
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, payload = self.server.api.answer(Seen(self.path, headers, body))
        self._send(status, payload)

    def _send(self, status: int, payload: bytes) -> None:
        self.reply(status, payload, "application/json")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    api: FakeCloudApi


@dataclass
class Running:
    """A started fake Cloud API: its base URL (with the version) and its script."""

    url: str
    api: FakeCloudApi


def serve(api: FakeCloudApi) -> Iterator[Running]:
    """Run the fake Cloud API on a free local port until the generator is closed."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.api = api
    with running(server) as url:
        yield Running(f"{url}/{VERSION}", api)
