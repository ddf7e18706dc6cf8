"""A real webhook receiver on loopback that verifies every signature with `standardwebhooks`.

`Receiver(secret, answer=…)` serves on 127.0.0.1 in a thread; `answer(n)` returns the
(status, headers) for the n-th request (default: 200). Each request is recorded with whether
its signature verified.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the sender has many requests in flight


Answer = Callable[[int], tuple[int, dict[str, str]]]


@dataclass
class Received:
    webhook_id: str
    verified: bool
    status: int
    payload: dict[str, Any] | None
    at: float = 0.0  # time.monotonic() when it arrived


@dataclass
class Receiver:
    secret: str = ""
    answer: Answer = lambda n: (200, {})  # noqa: E731
    requests: list[Received] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    payload = Webhook(receiver.secret).verify(body, headers)
                    verified = True
                except WebhookVerificationError:
                    payload, verified = None, False
                with receiver._lock:
                    n = len(receiver.requests)
                    status, extra = receiver.answer(n) if verified else (401, {})
                    receiver.requests.append(
                        Received(
                            headers.get("webhook-id", ""),
                            verified,
                            status,
                            payload,
                            time.monotonic(),
                        )
                    )
                self.send_response(status)
                for key, value in extra.items():
                    self.send_header(key, value)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # quiet

        self._handler = Handler
        self._serve(0)
        self.port = self.server.server_address[1]

    def _serve(self, port: int) -> None:
        self.server = _Server(("127.0.0.1", port), self._handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def pause(self) -> None:
        """Go down: the port refuses connections until `resume()`."""
        self.port = self.server.server_address[1]
        self.server.shutdown()
        self.server.server_close()

    def resume(self) -> None:
        self._serve(self.port)
        self.thread.start()

    def delivered(self) -> list[Received]:
        """Requests answered 2xx, in order."""
        return [r for r in self.requests if 200 <= r.status < 300]

    def types(self) -> list[str]:
        return [r.payload["type"] for r in self.delivered() if r.payload]

    def dump(self) -> str:
        return json.dumps([r.__dict__ for r in self.requests], default=str)
