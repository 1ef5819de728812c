#!/usr/bin/env bash
# Runs the deployment lifecycle suite against a REAL AWS account: it creates and deletes
# CloudFormation stacks and security groups (and a VPC unless SG_TEST_VPC_ID is given), so it
# refuses to run without an explicit opt-in. No moto divergence is tolerated here.
#
#   SG_TEST_AWS=1 SG_TEST_AWS_REGION=eu-west-1 [SG_TEST_VPC_ID=vpc-...] make test-aws
#
# Credentials come from the usual places (environment, AWS_PROFILE, shared files, SSO cache is
# not supported). The account needs the deploy policy from -act create-iam-policy plus
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
if [[ -z "${AWS_ACCESS_KEY_ID:-}" && -z "${AWS_PROFILE:-}" && ! -f "${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}" ]]; then
    echo "run-aws-tests: no AWS credentials found (AWS_ACCESS_KEY_ID, AWS_PROFILE or ~/.aws/credentials)" >&2
    exit 2
fi
# Never let a local emulator endpoint leak into a real-account run.
unset AWS_ENDPOINT_URL SG_MOTO_ENDPOINT
echo "run-aws-tests: region ${SG_TEST_AWS_REGION:-$AWS_REGION}, VPC ${SG_TEST_VPC_ID:-<created by the test>}"
swift build --build-tests
swift test --skip-build --disable-xctest --filter DeploymentLifecycleTests
