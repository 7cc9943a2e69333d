import json
import threading
import unittest
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer

from service import SERVICE_NAME
from service.app import make_handler


class RoutesTest(unittest.TestCase):
    """The routes and probes, with an injected readiness check (no database needed)."""

    def serve(self, is_ready):
        server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(is_ready))
        thread = threading.Thread(target=server.serve_forever)
        thread.start()

        def stop():
            server.shutdown()
            thread.join()
            server.server_close()

        self.addCleanup(stop)
        return server.server_address[1]

    def get(self, port, path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)

    def test_root_greets_with_the_service_name(self):
        port = self.serve(lambda: True)
        self.assertEqual(self.get(port, "/"), (200, {"message": f"Hello from {SERVICE_NAME}"}))

    def test_liveness_answers_200(self):
        port = self.serve(lambda: False)
        self.assertEqual(self.get(port, "/healthz/live"), (200, {"status": "ok"}))

    def test_readiness_answers_200_when_ready_and_503_when_not(self):
        ready = {"value": True}
        port = self.serve(lambda: ready["value"])
        self.assertEqual(self.get(port, "/healthz/ready")[0], 200)
        ready["value"] = False
        self.assertEqual(self.get(port, "/healthz/ready"), (503, {"status": "not ready"}))

    def test_a_failing_readiness_check_is_not_ready(self):
        def fails():
            raise RuntimeError("no database")

        port = self.serve(fails)
        self.assertEqual(self.get(port, "/healthz/ready")[0], 503)

    def test_unknown_paths_are_404(self):
        port = self.serve(lambda: True)
        self.assertEqual(self.get(port, "/nothing")[0], 404)
{% if values.database == 'postgres' %}


try:
    import psycopg  # noqa: F401
except ImportError:
    psycopg = None


@unittest.skipIf(psycopg is None, "psycopg is not installed (pip install -r requirements.txt)")
class DatabaseReadinessTest(unittest.TestCase):
    def test_not_ready_when_postgresql_cannot_be_reached(self):
        from service.readiness import readiness

        # Port 1 on the loopback interface refuses connections.
        is_ready = readiness({"DATABASE_HOST": "127.0.0.1", "DATABASE_PORT": "1", "DATABASE_NAME": "app", "DATABASE_USER": "app", "DATABASE_PASSWORD": "unused"})
        self.assertFalse(is_ready())
{% endif %}
