import Foundation
import SGTestSupport
import Testing

/// `validate-prov-template --remote` through the built binary: CloudFormation's ValidateTemplate
/// on every stack, against moto (the real peer) and a stub that rejects.
@Suite(.serialized) struct RemoteValidateTests {
    static let config = "globalbank-prod-c001-us-west-2"

    static func environment(endpoint: URL) -> [String: String] {
        [
            "AWS_ENDPOINT_URL": endpoint.absoluteString, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "remote-secret-5e2a",
            "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        ]
    }

    @Test func everyStackIsValidatedByCloudFormation() async throws {
        let moto = try await MotoServer.shared()
        // The proxy passes everything through and logs each call, so the test can count them.
        let proxy = try FaultProxy.start(upstream: moto.endpoint)
        defer { proxy.stop() }
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let text = try tool.run(["-con", Self.config, "-act", "validate-prov-template", "--remote"], environment: Self.environment(endpoint: proxy.endpoint))
        #expect(text.exitCode == 0, "\(text.stderr)")
        #expect(text.stdout.contains("remote: CloudFormation ValidateTemplate in us-west-2 accepted 1 of 1 stack(s)\n"))
        // The caller is identified first, as in every live action; then one ValidateTemplate per stack.
        #expect(try await proxy.log().map(\.action) == ["GetCallerIdentity", "ValidateTemplate"])

        let json = try tool.run(["-con", Self.config, "-act", "validate-prov-template", "--remote", "--output", "json"],
                                environment: Self.environment(endpoint: proxy.endpoint))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let remote = try #require(document["remote"] as? [String: Any])
        #expect(remote["region"] as? String == "us-west-2")
        #expect((remote["stacks"] as? [[String: Any]])?.map { "\($0["stack"] as? String ?? "") \($0["accepted"] as? Bool == true)" } == ["\(Self.config)-sg-stack true"])
        #expect((document["aws_caller"] as? [String: Any])?["credential_method"] as? String == "env")
        #expect(!json.stdout.contains("remote-secret-5e2a") && !json.stderr.contains("remote-secret-5e2a"))
    }

    @Test func aStackCloudFormationRejectsFailsValidationWithItsMessage() async throws {
        let rejection = """
            <ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type>\
            <Code>ValidationError</Code><Message>Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template</Message>\
            </Error><RequestId>req-1</RequestId></ErrorResponse>
            """
        let caller = """
            <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>\
            <Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>\
            </GetCallerIdentityResult></GetCallerIdentityResponse>
            """
        let stub = try StubHTTPServer.start(routes: [
            "POST / Action=ValidateTemplate": [.init(status: 400, body: rejection, headers: ["Content-Type": "text/xml"])],
            "POST / Action=GetCallerIdentity": [.init(body: caller, headers: ["Content-Type": "text/xml"])],
        ])
        defer { stub.stop() }
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let outcome = try tool.run(["-con", Self.config, "-act", "validate-prov-template", "--remote"], environment: Self.environment(endpoint: stub.endpoint))
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains(
            "error: CloudFormation ValidateTemplate rejected stack \(Self.config)-sg-stack: Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template [E523]"),
            "\(outcome.stderr)")
        #expect(outcome.stdout.contains("accepted 0 of 1 stack(s)"))
        // What was sent is the template create-prov-template writes, byte for byte.
        let requests = try await stub.recordedRequests().filter { $0.body.contains("Action=ValidateTemplate") }
        #expect(requests.count == 1, "a rejection is an answer, not a fault to retry")
        let form = try #require(URLComponents(string: "?" + (requests.first?.body ?? "")))
        let fields = Dictionary((form.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
        #expect(fields["Action"] == "ValidateTemplate")
        #expect(try tool.run(["-con", Self.config, "-act", "create-prov-template"]).exitCode == 0)
        #expect(fields["TemplateBody"] == (try tool.read("reports/\(Self.config)-sg-stack-template.yaml")))
    }
}
