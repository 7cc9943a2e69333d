"""The service's HTTP routes. Readiness is injected (see readiness.py), so tests need no database."""

import json
from http.server import BaseHTTPRequestHandler
from typing import Callable
from urllib.parse import urlsplit

from . import SERVICE_NAME


def make_handler(is_ready: Callable[[], bool]) -> type:
    """A request handler: GET / greets, /healthz/live says the process runs, /healthz/ready asks is_ready."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            path = urlsplit(self.path).path
            if path == "/":
                self._send(200, {"message": f"Hello from {SERVICE_NAME}"})
            elif path == "/healthz/live":
                self._send(200, {"status": "ok"})
            elif path == "/healthz/ready":
                try:
                    ready = is_ready()
                except Exception:  # a failing check is "not ready", never a crash
                    ready = False
                self._send(200 if ready else 503, {"status": "ready" if ready else "not ready"})
            else:
                self._send(404, {"error": "not found"})

        def _send(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler
