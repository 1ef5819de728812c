import Foundation
import SGAWS
import SGConfig
import SGModel
import SGTestSupport
import Testing

@testable import SGActions
@testable import SGDrift

/// Live groups for check-drift's end-to-end tests, built directly with EC2 calls on the local AWS
/// (so those tests depend on check-drift alone, not on how CloudFormation builds groups): tagged like
/// the stack tags them, with the compiled rules, AWS's default egress removed where the config
/// declares egress, and the compiler's no-op egress rule on a closed tier.
enum LiveGroups {
    static func ec2(_ moto: MotoServer) throws -> EC2Client {
        let credentials = AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")
        return try AWSSession(
            region: "us-west-2", credentials: StaticCredentialProvider(credentials),
            options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live,
            transport: URLSessionTransport()
        ).ec2()
    }

    /// Dummy credentials and the moto endpoint for the binary; no shared files from the machine.
    static func environment(_ moto: MotoServer, secret: String = "testing-secret") -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": secret, "AWS_ENDPOINT_URL": moto.endpoint.absoluteString,
            "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_PROFILE": "",
        ]
    }

    /// Loads the scratch copy of the config as the tool will.
    static func deployment(in tool: ToolRunner, config: String) throws -> Deployment {
        let root = tool.directory.path
        let loader = DeploymentLoader(
            readFile: { try LocalFileSystem().read(root + "/" + $0) },
            fileExists: { LocalFileSystem().fileExists(root + "/" + $0) })
        let result = loader.load(config: config)
        return try #require(result.deployment, "\(result.diagnostics.all)")
    }

    /// Creates the deployment's groups as the stack would leave them; returns tier -> group id.
    static func deploy(_ deployment: Deployment, vpcID: String, ec2: EC2Client) async throws -> [String: String] {
        var ids: [String: String] = [:]
        for tier in deployment.tiers {
            let id = try await ec2.createSecurityGroup(
                name: deployment.identity.groupName(tier: tier.name), description: tier.description ?? tier.name, vpcID: vpcID)
            try await ec2.createTags(resourceIDs: [id], tags: [
                AWSTag(key: DeploymentIdentity.deploymentTagKey, value: deployment.identity.qualifiedName),
                AWSTag(key: DeploymentIdentity.tierTagKey, value: tier.name),
            ])
            ids[tier.name] = id
        }
        for tier in deployment.tiers {
            let id = try #require(ids[tier.name])
            if !tier.usesDefaultEgress {
                let defaults = try await ec2.describeSecurityGroupRules(filters: [EC2Filter(name: "group-id", values: [id])])
                    .filter(\.isEgress).map(\.ruleID)
                try await ec2.revokeSecurityGroupEgress(groupID: id, ruleIDs: defaults)
            }
            for rule in tier.ingress {
                let permission = try #require(DriftRevertPlanner.permission(rule.key, description: rule.description, groupIDsByTier: ids))
                try await ec2.authorizeSecurityGroupIngress(groupID: id, permissions: [permission])
            }
            for rule in tier.egress {
                let permission = try #require(DriftRevertPlanner.permission(rule.key, description: rule.description, groupIDsByTier: ids))
                try await ec2.authorizeSecurityGroupEgress(groupID: id, permissions: [permission])
            }
            if tier.isEgressClosed {
                try await ec2.authorizeSecurityGroupEgress(groupID: id, permissions: [
                    IPPermission(ipProtocol: "icmp", fromPort: 252, toPort: 86, ipv4Ranges: [SecurityGroupRange("255.255.255.255/32")]),
                ])
            }
        }
        return ids
    }
}
