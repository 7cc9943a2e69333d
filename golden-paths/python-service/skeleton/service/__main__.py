"""Entry point (python -m service): listens on PORT (8080 by default) and stops cleanly on SIGTERM,
which Kubernetes sends before it stops a pod."""

import os
import signal
import threading
from http.server import ThreadingHTTPServer

from .app import make_handler
from .readiness import readiness


def main() -> None:
    port = int(os.environ.get("PORT", "8080"))
    server = ThreadingHTTPServer(("", port), make_handler(readiness()))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    serving = threading.Thread(target=server.serve_forever)
    serving.start()
    print(f"listening on port {port}", flush=True)
    stop.wait()
    print("SIGTERM: closing", flush=True)
    server.shutdown()
    serving.join()
    server.server_close()


if __name__ == "__main__":
    main()
