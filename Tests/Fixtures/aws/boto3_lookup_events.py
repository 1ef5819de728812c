#!/usr/bin/env python3
"""Reads a CloudTrail endpoint with boto3's own client and paginator, to prove that what the
CloudTrail stub answers is what an AWS SDK accepts (and to compare with what sg-provisioner read).

Usage: boto3_lookup_events.py ENDPOINT REGION RESOURCE_NAME [PAGE_SIZE]
Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN).
Prints one JSON document: {"events": [{"id", "name", "time", "username", "resources", "record_event_id"}], "pages": n}
or, when the call fails, {"error": code, "message": ...} (exit 0 either way: the caller asserts).
"""
import json
import sys

import boto3
from botocore.exceptions import ClientError

endpoint, region, resource = sys.argv[1:4]
page_size = int(sys.argv[4]) if len(sys.argv) > 4 else 50
client = boto3.client("cloudtrail", endpoint_url=endpoint, region_name=region)
paginator = client.get_paginator("lookup_events")
events, pages = [], 0
try:
    for page in paginator.paginate(LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": resource}],
                                   PaginationConfig={"PageSize": page_size}):
        pages += 1
        for event in page["Events"]:
            record = json.loads(event["CloudTrailEvent"])
            events.append({"id": event["EventId"], "name": event["EventName"], "time": event["EventTime"].timestamp(),
                           "username": event.get("Username"), "resources": [r["ResourceName"] for r in event.get("Resources", [])],
                           "record_event_id": record["eventID"]})
    print(json.dumps({"events": events, "pages": pages}))
except ClientError as error:
    print(json.dumps({"error": error.response["Error"]["Code"], "message": error.response["Error"]["Message"]}))
