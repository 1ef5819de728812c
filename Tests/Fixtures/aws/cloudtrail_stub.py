#!/usr/bin/env python3
"""A CloudTrail LookupEvents stub for sg-provisioner's tests (moto 5.2.1 has no LookupEvents).

Usage: cloudtrail_stub.py CONFIG.json
Config: {
  "events": [<CloudTrail event record>, ...],  # as CloudTrail writes them (eventTime ISO 8601 UTC)
  "credentials": {"<access key id>": "<secret>"},  # signatures are checked with botocore's own signer
  "deny": false,              # answer every call AccessDeniedException (no cloudtrail:LookupEvents)
  "throttle_first": 0,        # answer the first N calls ThrottlingException
  "rate_per_second": 2        # more calls than this in one second per access key and region: throttled
}
Speaks the AWS JSON 1.1 protocol as CloudTrail does: POST / with Content-Type
application/x-amz-json-1.1 and X-Amz-Target com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents;
answers {"Events": [...], "NextToken": ...} with EventTime in epoch seconds and the record as the
CloudTrailEvent string, newest first; errors as {"__type": ..., "message": ...} with x-amzn-ErrorType.
One lookup attribute (ResourceName, EventName, EventId, Username, ResourceType, EventSource,
AccessKeyId, ReadOnly), StartTime/EndTime, MaxResults 1-50 (default 50), NextToken bound to the
query it came from. A record's resources are its "resources" list if given, else every security
group id in its requestParameters/responseElements (what LookupEvents indexes for EC2 calls).

GET /__stub/requests returns every call seen: time, target, the decoded body, whether the
signature verified, the status answered. Binds 127.0.0.1 on a free port and prints "PORT <n>".
Exits when its parent (the test process) goes away.
"""
import base64
import datetime
import hashlib
import http.server
import json
import re
import sys
import threading
import time
import uuid

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
import loopback  # the test servers' common start-up

TARGET = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"
CONTENT_TYPE = "application/x-amz-json-1.1"
AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
    r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$")
ATTRIBUTES = {"ResourceName", "EventName", "EventId", "Username", "ResourceType", "EventSource", "AccessKeyId", "ReadOnly"}

with open(sys.argv[1], encoding="utf-8") as handle:
    CONFIG = json.load(handle)
SEEN = []
RECENT = {}
LOCK = threading.Lock()
CALLS = [0]


def epoch(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()


def group_ids(value):
    """Every security group id named anywhere in a JSON value."""
    found = []
    if isinstance(value, dict):
        for item in value.values():
            found += group_ids(item)
    elif isinstance(value, list):
        for item in value:
            found += group_ids(item)
    elif isinstance(value, str) and re.fullmatch(r"sg-[0-9a-f]{8,17}", value):
        found.append(value)
    return found


def resources(record):
    if "resources" in record:
        return [{"ResourceType": r.get("type", "AWS::EC2::SecurityGroup"), "ResourceName": r["name"]} for r in record["resources"]]
    names = []
    for name in group_ids(record.get("requestParameters")) + group_ids(record.get("responseElements")):
        if name not in names:
            names.append(name)
    return [{"ResourceType": "AWS::EC2::SecurityGroup", "ResourceName": name} for name in names]


def summary(record):
    identity = record.get("userIdentity", {})
    return {
        "EventId": record["eventID"],
        "EventName": record["eventName"],
        "ReadOnly": "true" if record.get("readOnly") else "false",
        "AccessKeyId": identity.get("accessKeyId", ""),
        "EventTime": epoch(record["eventTime"]),
        "EventSource": record.get("eventSource", "ec2.amazonaws.com"),
        "Username": identity.get("userName") or (identity.get("arn", "").split("/")[-1]),
        "Resources": resources(record),
        "CloudTrailEvent": json.dumps({k: v for k, v in record.items() if k != "resources"}),
    }


def matches(event, key, value):
    if key == "ResourceName":
        return any(r["ResourceName"] == value for r in event["Resources"])
    if key == "ResourceType":
        return any(r["ResourceType"] == value for r in event["Resources"])
    field = {"EventName": "EventName", "EventId": "EventId", "Username": "Username", "EventSource": "EventSource",
             "AccessKeyId": "AccessKeyId", "ReadOnly": "ReadOnly"}[key]
    return event[field] == value


class Failure(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def verify_signature(headers, body, path):
    match = AUTHORIZATION.match(headers.get("authorization", ""))
    if not match:
        raise Failure(400, "IncompleteSignatureException", "Authorization header is not AWS4-HMAC-SHA256")
    access, day, region, service, signed, signature = match.groups()
    secret = CONFIG.get("credentials", {}).get(access)
    if secret is None:
        raise Failure(400, "UnrecognizedClientException", "The security token included in the request is invalid.")
    if service != "cloudtrail":
        raise Failure(403, "InvalidSignatureException", "Credential should be scoped to correct service: 'cloudtrail'.")
    names = signed.split(";")
    if "host" not in names or "x-amz-date" not in names or "x-amz-target" not in names:
        raise Failure(403, "InvalidSignatureException", "host, x-amz-date and x-amz-target must be signed")
    amz_date = headers.get("x-amz-date", "")
    if amz_date[:8] != day:
        raise Failure(403, "InvalidSignatureException", "credential scope date does not match X-Amz-Date")
    request = AWSRequest(method="POST", url="http://%s%s" % (headers.get("host", ""), path), data=body,
                         headers={name: headers.get(name, "") for name in names})
    request.context["timestamp"] = amz_date
    auth = SigV4Auth(Credentials(access, secret), service, region)
    expected = auth.signature(auth.string_to_sign(request, auth.canonical_request(request)), request)
    if expected != signature:
        raise Failure(403, "InvalidSignatureException",
                      "The request signature we calculated does not match the signature you provided.")
    return access, region


def lookup(body):
    attributes = body.get("LookupAttributes", [])
    if len(attributes) > 1:
        raise Failure(400, "InvalidLookupAttributesException", "You can only specify one lookup attribute.")
    for attribute in attributes:
        if attribute.get("AttributeKey") not in ATTRIBUTES or not attribute.get("AttributeValue"):
            raise Failure(400, "InvalidLookupAttributesException", "Invalid lookup attribute.")
    size = body.get("MaxResults", 50)
    if not isinstance(size, int) or not 1 <= size <= 50:
        raise Failure(400, "InvalidMaxResultsException", "MaxResults must be between 1 and 50.")
    start, end = body.get("StartTime"), body.get("EndTime")
    if start is not None and end is not None and start > end:
        raise Failure(400, "InvalidTimeRangeException", "StartTime is after EndTime.")
    query = hashlib.sha256(json.dumps([attributes, start, end], sort_keys=True).encode()).hexdigest()[:16]
    offset = 0
    if "NextToken" in body:
        try:
            token = json.loads(base64.b64decode(body["NextToken"]))
            assert token["query"] == query
            offset = int(token["offset"])
        except Exception:
            raise Failure(400, "InvalidNextTokenException", "The NextToken does not belong to this query.")
    events = [summary(record) for record in CONFIG.get("events", [])]
    events = [e for e in events if all(matches(e, a["AttributeKey"], a["AttributeValue"]) for a in attributes)]
    if start is not None:
        events = [e for e in events if e["EventTime"] >= start]
    if end is not None:
        events = [e for e in events if e["EventTime"] <= end]
    events.sort(key=lambda e: (-e["EventTime"], e["EventId"]))
    page = events[offset:offset + size]
    answer = {"Events": page}
    if offset + size < len(events):
        answer["NextToken"] = base64.b64encode(json.dumps({"query": query, "offset": offset + size}).encode()).decode()
    return answer


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Without this every keep-alive request waits ~40 ms for delayed ACKs.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/__stub/requests":
            with LOCK:
                payload = json.dumps(SEEN).encode()
            self._send(200, payload, {})
        else:
            self._send(404, b"not found", {"Content-Type": "text/plain"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        entry = {"time": time.time(), "target": headers.get("x-amz-target"), "content_type": headers.get("content-type"),
                 "signature_ok": False, "body": None}
        try:
            try:
                entry["body"] = json.loads(raw.decode("utf-8")) if raw else {}
            except ValueError:
                raise Failure(400, "SerializationException", "The request body is not JSON.")
            if headers.get("content-type") != CONTENT_TYPE:
                raise Failure(400, "UnknownOperationException", "Content-Type must be %s" % CONTENT_TYPE)
            if headers.get("x-amz-target") != TARGET:
                raise Failure(400, "UnknownOperationException", "Unknown operation %s" % headers.get("x-amz-target"))
            access, region = verify_signature(headers, raw, self.path)
            entry["signature_ok"] = True
            now = time.time()
            with LOCK:
                CALLS[0] += 1
                number = CALLS[0]
                window = [t for t in RECENT.get((access, region), []) if t > now - 1.0] + [now]
                RECENT[(access, region)] = window
            if number <= CONFIG.get("throttle_first", 0) or len(window) > CONFIG.get("rate_per_second", 2):
                raise Failure(400, "ThrottlingException", "Rate exceeded")
            if CONFIG.get("deny"):
                raise Failure(400, "AccessDeniedException",
                              "User: arn:aws:iam::123456789012:user/drift-reader is not authorized to perform: "
                              "cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action")
            answer = lookup(entry["body"])
            entry["status"] = 200
            self._record(entry)
            self._send(200, json.dumps(answer).encode(), {"Content-Type": CONTENT_TYPE})
        except Failure as failure:
            entry["status"] = failure.status
            entry["error"] = failure.code
            self._record(entry)
            self._send(failure.status, json.dumps({"__type": failure.code, "message": failure.message}).encode(),
                       {"Content-Type": CONTENT_TYPE, "x-amzn-ErrorType": "%s:http://internal.amazon.com/coral/com.amazonaws.cloudtrail/" % failure.code})

    def _record(self, entry):
        with LOCK:
            SEEN.append(entry)

    def _send(self, status, payload, headers):
        self.send_response(status)
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


if __name__ == "__main__":
    loopback.serve(lambda address: http.server.ThreadingHTTPServer(address, Handler))
