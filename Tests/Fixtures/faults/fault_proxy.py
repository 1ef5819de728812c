#!/usr/bin/env python3
"""Loopback fault-injecting HTTP proxy between sg-provisioner and moto_server.

Usage: fault_proxy.py UPSTREAM_URL ['<json list of rules>']

The tool is pointed at the proxy (AWS_ENDPOINT_URL); the proxy forwards every AWS Query
request to UPSTREAM_URL (moto) unchanged, except where a rule injects a fault. A rule:

  {"action": "DescribeStacks",   # the request's Action parameter, or "*" for every action
   "fault": "throttle",          # see FAULTS below
   "times": 2,                   # how many matching requests get the fault; -1 = every one
   "after": "CreateStack",       # optional: armed only once a request with this action passed
   "status": 400,                # optional: HTTP status for "throttle" (default 400 CFN, 503 EC2)
   "delay": 3.0}                 # seconds, for "slow"

FAULTS
  throttle       AWS throttling error document: EC2 <Response> RequestLimitExceeded,
                 CloudFormation/STS <ErrorResponse> Throttling
  http500        HTTP 500 with an AWS InternalFailure error document
  http503        HTTP 503 with a load balancer's HTML page (no AWS document at all)
  slow           wait `delay` seconds, then pass the request through
  reset          read the whole request, then reset the connection (TCP RST) without
                 answering; the request is NOT forwarded
  lost-response  forward the request (the upstream acts on it), then reset the connection
                 without answering: the caller cannot know whether it happened
  forward-then-500
                 forward the request (the upstream acts on it), then answer HTTP 500 with an
                 AWS InternalFailure document: the caller is told it failed although it happened
  in-progress    forward the request, then answer with every <StackStatus>X_COMPLETE</StackStatus>
                 turned into X_IN_PROGRESS: a stack that never finishes (moto finishes at once)

Rules are tried in order; the first armed rule with times left that matches applies, and
each application counts down its `times`. Requests no rule applies to pass through.

Control endpoints (never forwarded):
  GET  /__faults/log    every AWS request seen, in arrival order, as JSON:
                        {"seq", "action", "service", "fault", "status", "client_token"}
                        ("fault" is "pass" for untouched requests; "status" is the HTTP status
                        answered, null for a reset or a request still being handled)
  POST /__faults/rules  replaces the rules with the JSON list in the body (counts restart)

Nothing secret is logged: only the action, the service of the credential scope and the
idempotency token; never the Authorization header or other parameters.
Binds 127.0.0.1 on a free port and prints "PORT <n>" once listening. SIGTERM is unblocked
first (the test process may block it and the mask is inherited). Exits when its parent (the
test process) goes away, so no proxy outlives a test run.
"""
import http.client
import http.server
import json
import os
import re
import socket
import struct
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "aws"))
import loopback  # noqa: E402  (the test servers' common start-up)

UPSTREAM = urllib.parse.urlsplit(sys.argv[1])
LOCK = threading.Lock()
RULES = []
LOG = []
SEEN_ACTIONS = set()
FAULTS = {"throttle", "http500", "http503", "slow", "reset", "lost-response", "forward-then-500", "in-progress"}
# Hop-by-hop headers are the proxy's own business on each side (RFC 9110 7.6.1).
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-connection", "content-length"}


def load_rules(rules):
    """Validates a rule list and gives each rule its own countdown."""
    prepared = []
    for rule in rules:
        if rule.get("fault") not in FAULTS:
            raise ValueError("unknown fault %r" % rule.get("fault"))
        if not rule.get("action"):
            raise ValueError("a rule needs an action")
        prepared.append(dict(rule, remaining=int(rule.get("times", 1))))
    return prepared


def choose_fault(action):
    """The rule that applies to this request (counted down), or None. Caller holds LOCK."""
    for rule in RULES:
        if rule["remaining"] == 0:
            continue
        if rule["action"] not in ("*", action):
            continue
        if rule.get("after") and rule["after"] not in SEEN_ACTIONS:
            continue
        if rule["remaining"] > 0:
            rule["remaining"] -= 1
        return rule
    return None


def service_of(headers):
    """The service named in the SigV4 credential scope (ec2, cloudformation, sts)."""
    match = re.search(r"Credential=[^/,]+/[0-9]{8}/[^/,]+/([^/,]+)/aws4_request",
                      headers.get("Authorization", ""))
    return match.group(1) if match else ""


def throttle_document(service, seq):
    if service == "ec2":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
                '<Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message>'
                '</Error></Errors><RequestID>fault-proxy-%d</RequestID></Response>' % seq)
    return ('<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error>'
            '<Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>'
            '<RequestId>fault-proxy-%d</RequestId></ErrorResponse>' % seq)


def internal_failure_document(service, seq):
    if service == "ec2":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
                '<Code>InternalError</Code><Message>An internal error has occurred</Message>'
                '</Error></Errors><RequestID>fault-proxy-%d</RequestID></Response>' % seq)
    return ('<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code>'
            '<Message>An internal error has occurred</Message></Error>'
            '<RequestId>fault-proxy-%d</RequestId></ErrorResponse>' % seq)


LOAD_BALANCER_503 = ("<html><head><title>503 Service Temporarily Unavailable</title></head>"
                     "<body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Without this every keep-alive request waits ~40 ms for delayed ACKs.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/__faults/"):
            self._control(body)
            return
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        action = (form.get("Action") or query.get("Action") or [""])[0]
        # The JSON protocols (CloudTrail) name the operation in X-Amz-Target; only a request that
        # arrived with its body counts, so a body-less re-send still shows as an empty action.
        target = self.headers.get("X-Amz-Target") or ""
        if not action and target and body.strip().startswith(b"{"):
            action = target.rsplit(".", 1)[-1]
        token = (form.get("ClientRequestToken") or form.get("ClientToken") or [None])[0]
        with LOCK:
            rule = choose_fault(action)
            entry = {"seq": len(LOG) + 1, "action": action, "service": service_of(self.headers),
                     "fault": rule["fault"] if rule else "pass", "status": None, "client_token": token}
            LOG.append(entry)
        fault = entry["fault"]
        if fault == "reset":
            self._reset()
            return
        if fault == "throttle":
            status = int(rule.get("status") or (503 if entry["service"] == "ec2" else 400))
            self._answer(entry, status, throttle_document(entry["service"], entry["seq"]).encode(),
                         {"Content-Type": "text/xml"})
            return
        if fault == "http500":
            self._answer(entry, 500, internal_failure_document(entry["service"], entry["seq"]).encode(),
                         {"Content-Type": "text/xml"})
            return
        if fault == "http503":
            self._answer(entry, 503, LOAD_BALANCER_503.encode(), {"Content-Type": "text/html"})
            return
        if fault == "slow":
            time.sleep(float(rule.get("delay", 1.0)))
        status, headers, payload = self._forward(body)
        with LOCK:
            SEEN_ACTIONS.add(action)
        if fault == "lost-response":
            self._reset()
            return
        if fault == "forward-then-500":
            self._answer(entry, 500, internal_failure_document(entry["service"], entry["seq"]).encode(),
                         {"Content-Type": "text/xml"})
            return
        if fault == "in-progress":
            payload = re.sub(rb"<StackStatus>([A-Z_]+?)_COMPLETE</StackStatus>", rb"<StackStatus>\1_IN_PROGRESS</StackStatus>", payload)
        self._answer(entry, status, payload, headers)

    def _forward(self, body):
        """Sends the request to the upstream as received; returns its status, headers, body."""
        connection = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=60)
        try:
            headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            kept = {name: value for name, value in response.getheaders() if name.lower() not in HOP_BY_HOP}
            return response.status, kept, payload
        finally:
            connection.close()

    def _reset(self):
        """Drops the connection with a TCP RST: no status line, no byte of a response."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def _answer(self, entry, status, payload, headers):
        with LOCK:
            entry["status"] = status
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _control(self, body):
        global RULES
        if self.command == "GET" and self.path == "/__faults/log":
            with LOCK:
                payload = json.dumps(LOG).encode()
            self._plain(200, payload, "application/json")
        elif self.command == "POST" and self.path == "/__faults/rules":
            try:
                rules = load_rules(json.loads(body.decode("utf-8")))
            except (ValueError, TypeError) as error:
                self._plain(400, str(error).encode(), "text/plain")
                return
            with LOCK:
                RULES = rules
            self._plain(200, b"{}", "application/json")
        else:
            self._plain(404, b"unknown control endpoint", "text/plain")

    def _plain(self, status, payload, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _handle


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A reset connection is the point of some faults, not an error worth a traceback.
        pass


if __name__ == "__main__":
    RULES = load_rules(json.loads(sys.argv[2]) if len(sys.argv) > 2 else [])
    loopback.serve(lambda address: Server(address, Handler))
