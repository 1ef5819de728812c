#!/usr/bin/env python3
"""Scripted HTTP stub for SGAWS tests (IMDS, ECS credentials, retry faults).

Usage: stub_server.py '<json config>'
Config: {"routes": {"METHOD /path": [response, ...]}} where a response is
{"status": 200, "body": "...", "headers": {"Name": "value"}, "delay": seconds}.
A route "METHOD /path Action=Name" answers only form posts of that Query action (so one
stub can play STS for AssumeRole and AssumeRoleWithWebIdentity); it wins over "METHOD /path".
Each request to a route takes the next response; the last one repeats.
Unmatched requests get 404. GET /__stub/requests returns every request seen
(method, path, headers, body) as JSON, so tests can assert what the client sent.
Binds 127.0.0.1 on a free port and prints "PORT <n>" on stdout once listening.
SIGTERM is unblocked first (the test process may block it and the mask is
inherited). Exits when its parent (the test process) goes away, so no stub outlives a test run.
"""
import http.server
import json
import sys
import threading
import time
import urllib.parse
import loopback  # the test servers' common start-up

CONFIG = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {"routes": {}}
ROUTES = {key: list(value) for key, value in CONFIG.get("routes", {}).items()}
SEEN = []
LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Without this every keep-alive request waits ~40 ms for delayed ACKs.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        if self.path == "/__stub/requests":
            with LOCK:
                payload = json.dumps(SEEN).encode()
            self._send(200, payload, {"Content-Type": "application/json"})
            return
        with LOCK:
            SEEN.append({"method": self.command, "path": self.path,
                         "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
            key = "%s %s" % (self.command, self.path.split("?")[0])
            action = urllib.parse.parse_qs(body).get("Action", [None])[0] if self.command == "POST" else None
            queue = ROUTES.get("%s Action=%s" % (key, action)) if action else None
            if queue is None:
                queue = ROUTES.get(key)
            response = None
            if queue:
                response = queue[0] if len(queue) == 1 else queue.pop(0)
        if response is None:
            self._send(404, b"not found", {"Content-Type": "text/plain"})
            return
        if response.get("delay"):
            time.sleep(response["delay"])
        if response.get("drop"):
            # Close without answering: the client sees a lost connection.
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(2)
            return
        self._send(response.get("status", 200), response.get("body", "").encode(), response.get("headers", {}))

    def _send(self, status, payload, headers):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_DELETE = _handle


if __name__ == "__main__":
    loopback.serve(lambda address: http.server.ThreadingHTTPServer(address, Handler))
