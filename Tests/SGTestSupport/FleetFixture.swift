import Foundation
import SGAWS
import SGAWSCredentials
import SGAWSServices

/// A VPC in each of 3 accounts x 2 regions of the local AWS (moto maps assumed-role credentials to
/// the role's account), and a config with those targets: the fleet actions' end-to-end tests and
/// the options walk deploy into it through the built binary.
package enum FleetFixture {
    /// The target accounts.
    package static let accounts = ["111111111111", "222222222222", "333333333333"]
    /// The regions of every target account.
    package static let regions = ["us-east-1", "eu-west-1"]
    /// A secret that must never appear in any output or log.
    package static let secret = "fleet-test-secret-4b1d"

    /// The local AWS, the environment the binary runs in, and the VPC of every target.
    package struct Fleet {
        package var moto: MotoServer
        package var environment: [String: String]
        /// account/region -> (vpc, cidr).
        package var vpcs: [(account: String, region: String, vpc: String, cidr: String)]
    }

    /// A session acting in `account` (moto maps assumed-role credentials to the role's account).
    package static func session(_ moto: MotoServer, account: String, region: String) -> AWSSession {
        let base = AWSSession(
            region: region, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
            options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live, transport: URLSessionTransport())
        return base.assumingRole(AssumeRoleRequest(roleARN: "arn:aws:iam::\(account):role/fleet-test-setup", sessionName: "fleet-test-setup"), region: region)
    }

    /// A VPC in every account and region.
    package static func fleet() async throws -> Fleet {
        let moto = try await MotoServer.shared()
        var vpcs: [(account: String, region: String, vpc: String, cidr: String)] = []
        for (index, account) in accounts.enumerated() {
            for (offset, region) in regions.enumerated() {
                let cidr = "10.\(40 + index * 2 + offset).0.0/16"
                let vpc = try await session(moto, account: account, region: region).ec2().createVpc(cidrBlock: cidr)
                vpcs.append((account, region, vpc.vpcID, cidr))
            }
        }
        let environment = [
            "AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "AWS_REGION": "", "AWS_DEFAULT_REGION": "",
        ]
        return Fleet(moto: moto, environment: environment, vpcs: vpcs)
    }

    /// A config `id` with a target per VPC of `fleet` (scenario three-tier-web, role fleet-reader).
    package static func config(id: String, _ fleet: Fleet) -> String {
        """
        company_prefix: fleettest
        environment: prod
        deployment_id: \(id)
        region: us-east-1
        scenario: three-tier-web
        target_role: fleet-reader
        tags:
          owner: platform-team
        targets:
        \(fleet.vpcs.map { "  - { account: \"\($0.account)\", region: \($0.region), vpc_id: \($0.vpc), vpc_cidr: \($0.cidr) }" }.joined(separator: "\n"))

        """
    }

    /// Group ids by tier of the groups tagged for the deployment in one target.
    package static func groups(_ fleet: Fleet, account: String, region: String, tag: String) async throws -> [String: String] {
        let groups = try await session(fleet.moto, account: account, region: region).ec2()
            .describeSecurityGroups(filters: [EC2Filter(name: "tag:sg-provisioner:deployment", values: [tag])])
        return Dictionary(groups.map { group in (group.tags.first { $0.key == "sg-provisioner:tier" }?.value ?? group.groupName, group.groupID) },
                          uniquingKeysWith: { first, _ in first })
    }
}
