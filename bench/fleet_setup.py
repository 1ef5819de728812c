#!/usr/bin/env python3
"""Creates the VPCs of a benchmark fleet in the local AWS and writes its configs (bench/fleet-drift.sh).

Usage: fleet_setup.py ENDPOINT PROJECT ACCOUNTS REGIONS SIZES

For ACCOUNTS accounts (111100000001, 111100000002, ...) x REGIONS regions it assumes a role in each
account (moto acts as the role's account) and creates one VPC per region; then, for each size N in
SIZES (comma-separated account counts), writes PROJECT/configs/fleet-nNN.yaml whose targets are the
first N accounts in every region. Every config is the same deployment (one StackSet, deployed once
from the largest): check-drift reads a target's groups by the deployment tag of its region, so a
smaller config checks a subset of the same instances. Prints the number of VPCs made.
"""
import sys

import boto3

REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2", "eu-central-1", "ap-northeast-1", "sa-east-1", "ca-central-1"]


def main(argv):
    endpoint, project, accounts, regions, sizes = argv[0], argv[1], int(argv[2]), int(argv[3]), [int(s) for s in argv[4].split(",")]
    regions = REGIONS[:regions]
    sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="bench", aws_secret_access_key="bench")
    targets = []
    for index in range(accounts):
        account = f"1111{index + 1:08d}"
        credentials = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/bench-setup", RoleSessionName="bench-setup")["Credentials"]
        for offset, region in enumerate(regions):
            ec2 = boto3.client(
                "ec2", endpoint_url=endpoint, region_name=region, aws_access_key_id=credentials["AccessKeyId"],
                aws_secret_access_key=credentials["SecretAccessKey"], aws_session_token=credentials["SessionToken"])
            cidr = f"10.{(index * len(regions) + offset) % 250}.0.0/16"
            vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
            targets.append((index, account, region, vpc, cidr))
    for size in sizes:
        lines = [
            "company_prefix: bench", "environment: prod", "deployment_id: fleet1", "region: us-east-1",
            "scenario: three-tier-web", "target_role: bench-reader", "targets:",
        ]
        lines += [f'  - {{ account: "{a}", region: {r}, vpc_id: {v}, vpc_cidr: {c} }}' for i, a, r, v, c in targets if i < size]
        with open(f"{project}/configs/fleet-n{size:02d}.yaml", "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    print(len(targets))


if __name__ == "__main__":
    main(sys.argv[1:])
