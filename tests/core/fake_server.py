"""A real HTTP server on 127.0.0.1 (port 0, a thread) that plays back scripted answers, for the adapters."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

RECORDINGS = Path(__file__).parent / "recordings"


def recording(name: str) -> bytes:
    return (RECORDINGS / name).read_bytes()


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"{}"
    delay: float = 0.0  # seconds before the answer is written (a slow system)


@dataclass
class FakeServer:
    url: str = ""
    answers: list[Answer] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    default: Answer = field(default_factory=lambda: Answer(status=500, body=b'{"error": "no answer scripted"}'))
    # Answers by request (contract tests): called with the request's JSON when nothing is scripted.
    responder: Callable[[dict], Answer] | None = None

    def script(self, *answers: Answer) -> None:
        self.answers[:] = list(answers)

    def next_answer(self) -> Answer:
        if self.answers:
            return self.answers.pop(0)
        if self.responder is not None:
            return self.responder(self.requests[-1]["json"])
        return self.default


def start(path: str = "/endpoint") -> tuple[FakeServer, ThreadingHTTPServer]:
    fake = FakeServer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 — the http.server API
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            fake.requests.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body or b"null")})
            answer = fake.next_answer()
            if answer.delay:
                time.sleep(answer.delay)
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    return fake, server


def http_settings(url: str, **overrides) -> dict:
    """Settings for a live adapter pointed at the fake server, with small timeouts so tests stay fast."""
    values = {
        "url": url,
        "key": "kunci-uji",
        "key_header": "user_key",
        "client_id": None,
        "client_secret": None,
        "connect_timeout_ms": 500,
        "read_timeout_ms": 200,
        "retries": 2,
        "backoff_ms": 0,
        "breaker_failures": 3,
        "breaker_seconds": 30,
        "cache_seconds": 86400,
        "cache_missing_seconds": 600,
    }
    values.update(overrides)
    return values


@pytest.fixture
def fake_server():
    from siinas.integrations.http import reset_breakers

    reset_breakers()
    fake, server = start()
    yield fake
    server.shutdown()
    server.server_close()
    reset_breakers()
