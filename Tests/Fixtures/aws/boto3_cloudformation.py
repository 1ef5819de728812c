#!/usr/bin/env python3
"""boto3 against a CloudFormation endpoint, for tests that hold sg-provisioner's client to botocore.

Usage: boto3_cloudformation.py ENDPOINT REGION ACCESS_KEY SECRET COMMAND ARGS...
  import STACK CHANGE_SET TEMPLATE_FILE RESOURCES_JSON   create an IMPORT change set (prints {"Id", "StackId"})
  describe STACK CHANGE_SET                              describe it as botocore parses it
  stack STACK                                            the stack's status and resources as botocore parses them
Prints one JSON document on stdout; on an AWS error, {"error": code, "message": ...} and exit 0.
"""
import json
import sys

import boto3
import botocore.exceptions

endpoint, region, key, secret, command, *args = sys.argv[1:]
client = boto3.client("cloudformation", endpoint_url=endpoint, region_name=region,
                      aws_access_key_id=key, aws_secret_access_key=secret)
try:
    if command == "import":
        stack, change_set, template_file, resources = args
        with open(template_file, encoding="utf-8") as handle:
            body = handle.read()
        answer = client.create_change_set(StackName=stack, ChangeSetName=change_set, TemplateBody=body,
                                          ChangeSetType="IMPORT", ResourcesToImport=json.loads(resources))
        result = {"Id": answer["Id"], "StackId": answer["StackId"]}
    elif command == "describe":
        stack, change_set = args
        answer = client.describe_change_set(StackName=stack, ChangeSetName=change_set)
        result = {
            "Status": answer["Status"], "ExecutionStatus": answer.get("ExecutionStatus"), "StatusReason": answer.get("StatusReason"),
            "Changes": [{key: change["ResourceChange"].get(key) for key in ("Action", "LogicalResourceId", "PhysicalResourceId", "ResourceType")}
                        for change in answer["Changes"]],
        }
    elif command == "stack":
        stack, = args
        description = client.describe_stacks(StackName=stack)["Stacks"][0]
        resources = client.describe_stack_resources(StackName=stack)["StackResources"]
        result = {"StackStatus": description["StackStatus"],
                  "Resources": {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources}}
    else:
        raise SystemExit(f"unknown command {command}")
except botocore.exceptions.ClientError as error:
    result = {"error": error.response["Error"]["Code"], "message": error.response["Error"]["Message"]}
print(json.dumps(result, sort_keys=True))
