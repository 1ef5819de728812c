#!/usr/bin/env bash
# Runs the deployment lifecycle suite against a REAL AWS account: it creates and deletes
# CloudFormation stacks and security groups (and a VPC unless SG_TEST_VPC_ID is given), so it
# refuses to run without an explicit opt-in. No moto divergence is tolerated here.
#
#   SG_TEST_AWS=1 SG_TEST_AWS_REGION=eu-west-1 [SG_TEST_VPC_ID=vpc-...] make test-aws
#
# Credentials come from the usual places, in the AWS CLI's order (environment, AWS_PROFILE and the
# shared files with role_arn, web identity, IAM Identity Center, credential_process, the container
# and instance roles). The account needs the deploy policy from -act create-iam-policy plus
# ec2:CreateVpc when no SG_TEST_VPC_ID is given.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${SG_TEST_AWS:-}" != "1" ]]; then
    echo "run-aws-tests: refusing to touch a real AWS account without SG_TEST_AWS=1" >&2
    exit 2
fi
if [[ -z "${SG_TEST_AWS_REGION:-${AWS_REGION:-}}" ]]; then
    echo "run-aws-tests: set SG_TEST_AWS_REGION (or AWS_REGION)" >&2
    exit 2
fi
if [[ -z "${AWS_ACCESS_KEY_ID:-}" && -z "${AWS_PROFILE:-}" && -z "${AWS_WEB_IDENTITY_TOKEN_FILE:-}" \
      && -z "${AWS_CONTAINER_CREDENTIALS_RELATIVE_URI:-}${AWS_CONTAINER_CREDENTIALS_FULL_URI:-}" \
      && ! -f "${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}" && ! -f "${AWS_CONFIG_FILE:-$HOME/.aws/config}" ]]; then
    echo "run-aws-tests: no AWS credentials configured (environment, AWS_PROFILE, web identity, container, ~/.aws)" >&2
    exit 2
fi
# Never let a local emulator endpoint leak into a real-account run.
unset AWS_ENDPOINT_URL SG_MOTO_ENDPOINT
echo "run-aws-tests: region ${SG_TEST_AWS_REGION:-$AWS_REGION}, VPC ${SG_TEST_VPC_ID:-<created by the test>}"
swift build --build-tests
swift test --skip-build --disable-xctest --filter DeploymentLifecycleTests
