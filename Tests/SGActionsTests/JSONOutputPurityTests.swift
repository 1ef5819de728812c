import Foundation
import SGAWSCredentials
import SGAWSServices
import SGActionKit
import SGActions
import SGAWS
import SGTestSupport
import Testing

/// `--output json` is for scripts: whatever an action does (stack events while it waits, a plan,
/// a diff), stdout holds exactly one JSON document and everything said for people goes to
/// stderr. Every action, through the BUILT BINARY, the live ones against the local AWS (moto).
@Suite(.serialized) struct JSONOutputPurityTests {
    static let region = "eu-north-1"

    static let scenario = """
        name: purity
        description: Two tiers
        tiers:
          web:
            description: Load balancers
            ingress:
              - { protocol: tcp, port: 443, source: 10.0.0.0/16, description: HTTPS }
            egress:
              - { protocol: tcp, port: 8080, destination_tier: app, description: To app }
          app:
            ingress:
              - { protocol: tcp, port: 8080, source_tier: web, description: From web }
            egress: []

        """

    static func config(vpcID: String) -> String {
        """
        company_prefix: purity
        environment: dev
        deployment_id: j01
        region: \(region)
        vpc_id: \(vpcID)
        vpc_cidr: 10.0.0.0/16
        scenario: purity

        """
    }

    static func environment(_ moto: MotoServer) -> [String: String] {
        [
            "AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
    }

    @Test("every action with --output json prints one JSON document on stdout and its progress on stderr")
    func everyActionPrintsOneDocument() async throws {
        let moto = try await MotoServer.shared()
        let ec2 = try AWSSession(region: Self.region, credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
                                 options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live,
                                 transport: URLSessionTransport()).ec2()
        let vpc = try await ec2.createVpc(cidrBlock: "10.0.0.0/16")
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        try tool.write(Self.scenario, to: "scenarios/purity.yaml")
        try tool.write(Self.config(vpcID: vpc.vpcID), to: "configs/purity.yaml")
        let config = ["-con", "purity"]

        // In an order that gives each live action something to work on: a stack to show changes
        // of, check for drift and delete, groups to audit and import.
        let runs: [(action: ActionName, arguments: [String], exitCodes: Set<Int32>, progress: String?)] = [
            (.listActions, [], [0], nil),
            (.createProvTemplate, config, [0], nil),
            (.validateProvTemplate, config, [0], nil),
            (.createReviewReport, config, [0], nil),
            (.createIAMPolicy, config, [0], nil),
            (.verifyVPC, config, [0], nil),
            (.showChanges, config, [3], nil),
            (.testDeploy, config, [0], "CREATE_COMPLETE"),
            (.createSecurityGroups, config, [0], "CREATE_COMPLETE"),
            (.showChanges, config, [0], nil),
            (.checkDrift, config, [0], nil),
            (.auditSecurityGroups, config + ["--fail-on", "critical"], [0], nil),
            (.importSecurityGroups, ["-con", "copied-dev-j02-\(Self.region)", "--vpc-id", vpc.vpcID, "--force"], [0], nil),
            // Many configs (the one written by the import too): one document for all of them.
            (.validateProvTemplate, ["-con", "configs"], [0, 1], nil),
            (.deleteSecurityGroups, config + ["--force"], [0], "DELETE_COMPLETE"),
        ]
        #expect(Set(runs.map(\.action)) == Set(ActionName.allCases), "every action is run")
        for run in runs {
            let outcome = try tool.run(["-act", run.action.rawValue] + run.arguments + ["--output", "json"], environment: Self.environment(moto))
            #expect(run.exitCodes.contains(outcome.exitCode), "\(run.action): exit \(outcome.exitCode)\n\(outcome.stderr)")
            // JSONSerialization refuses anything before or after the one document.
            let parsed = try? JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8))
            let object = try #require(parsed as? [String: Any], "\(run.action): stdout is not one JSON document:\n\(outcome.stdout)")
            #expect(object["action"] as? String == run.action.rawValue, "\(run.action): \(object.keys.sorted())")
            if let progress = run.progress {
                #expect(outcome.stderr.contains(progress), "\(run.action): its progress belongs on stderr:\n\(outcome.stderr)")
            }
        }
    }
}
