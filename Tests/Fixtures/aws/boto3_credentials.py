#!/usr/bin/env python3
"""Resolves AWS credentials with boto3 (AWS's own SDK for Python) from the environment this
script is given, and prints what it found, so the credential tests compare sg-provisioner's
provider chain with botocore's on the very same files and endpoints.

Usage: boto3_credentials.py [--profile NAME] [--caller-identity]
  --profile NAME      boto3.Session(profile_name=NAME), like the AWS CLI's --profile; without
                      it the default chain runs (AWS_PROFILE, environment variables, ...).
  --caller-identity   also call sts:GetCallerIdentity with the credentials and print the ARN.

Prints one JSON object: {"access_key": ..., "method": ..., "arn": ...} or {"error": "Type: message"}.
The secret key and session token are never printed.
"""
import argparse
import json

import boto3


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile")
    parser.add_argument("--caller-identity", action="store_true")
    args = parser.parse_args()
    try:
        session = boto3.Session(profile_name=args.profile)
        credentials = session.get_credentials()
        if credentials is None:
            print(json.dumps({"error": "NoCredentialsError: Unable to locate credentials"}))
            return
        frozen = credentials.get_frozen_credentials()
        result = {"access_key": frozen.access_key, "method": credentials.method}
        if args.caller_identity:
            result["arn"] = session.client("sts").get_caller_identity()["Arn"]
        print(json.dumps(result, sort_keys=True))
    except Exception as error:  # the test asserts on the failure's type and text
        print(json.dumps({"error": "%s: %s" % (type(error).__name__, error)}))


if __name__ == "__main__":
    main()
