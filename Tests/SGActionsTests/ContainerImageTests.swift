import Foundation
import SGAWS
import SGAWSCredentials
import SGAWSServices
import SGTestSupport
import Testing

/// The image `make test` built for these tests.
private let imageUnderTest = ProcessInfo.processInfo.environment["SG_IMAGE"].flatMap { $0.isEmpty ? nil : $0 }

/// The OCI image `make image` builds (scripts/build-image.sh), run without a daemon through
/// buildah exactly as the security guide runs it with docker. `make test` builds the image from
/// the release binary first and names it in SG_IMAGE; without SG_IMAGE these tests do not run.
@Suite(.serialized, .enabled(if: imageUnderTest != nil, "SG_IMAGE names no image (make test builds one)"))
struct ContainerImageTests {
    static let image = imageUnderTest
    static let entrypoint = "/usr/local/bin/sg-provisioner"

    /// `buildah --storage-driver vfs ARGS` (the storage make image uses), with its output.
    static func buildah(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let output = try await ProcessInvocation.run(ProcessInvocation(
            executable: "/usr/bin/env", arguments: ["buildah", "--storage-driver", "vfs"] + arguments,
            environment: ProcessInfo.processInfo.environment))
        return (output.status, String(decoding: output.standardOutput, as: UTF8.self), String(decoding: output.standardError, as: UTF8.self))
    }

    /// A working container of the image, removed after `body`.
    static func withContainer<T>(_ body: (String) async throws -> T) async throws -> T {
        let created = try await buildah(["from", "--pull=never", "--quiet", try #require(image)])
        try #require(created.status == 0, "buildah from: \(created.stderr)")
        let container = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            let result = try await body(container)
            _ = try await buildah(["rm", container])
            return result
        } catch {
            _ = try await buildah(["rm", container])
            throw error
        }
    }

    @Test("what the image is: entrypoint, non-root user, /app, annotations; no shell; the release binary, libraries, CA bundle, scenarios")
    func imageContents() async throws {
        let inspected = try await Self.buildah(["inspect", "--type", "image", try #require(Self.image)])
        try #require(inspected.status == 0, "\(inspected.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(inspected.stdout.utf8)) as? [String: Any])
        let oci = try #require(document["OCIv1"] as? [String: Any])
        let config = try #require(oci["config"] as? [String: Any])
        #expect(config["Entrypoint"] as? [String] == [Self.entrypoint])
        #expect(config["User"] as? String == "1000:1000")
        #expect(config["WorkingDir"] as? String == "/app")
        #expect((config["Env"] as? [String])?.contains("HOME=/home/sguser") == true)
        // The review report made inside the image knows the tool ships as this image.
        #expect((config["Env"] as? [String])?.contains("SG_PROVISIONER_IMAGE=\(try #require(Self.image))") == true, "\(config["Env"] ?? "")")
        let version = try await ProcessInvocation.run(ProcessInvocation(
            executable: ToolRunner.binary.path, arguments: ["--version"], environment: [:]))
        let expectedVersion = String(decoding: version.standardOutput, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let annotations = try #require(document["ImageAnnotations"] as? [String: String])
        #expect(annotations["org.opencontainers.image.version"] == expectedVersion)
        let revision = try #require(annotations["org.opencontainers.image.revision"])
        #expect(revision.range(of: "^[0-9a-f]{40}(-dirty)?$", options: .regularExpression) != nil, "\(revision)")
        let labels = try #require(config["Labels"] as? [String: String])
        #expect(labels["org.opencontainers.image.version"] == expectedVersion)
        #expect(labels["org.opencontainers.image.revision"] == revision)

        try await Self.withContainer { container in
            let mounted = try await Self.buildah(["mount", container])
            try #require(mounted.status == 0, "buildah mount: \(mounted.stderr)")
            // `buildah rm` unmounts it again.
            let root = mounted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let files = FileManager.default
            #expect(!files.fileExists(atPath: root + "/bin/sh"), "the image must hold no shell")
            #expect(!files.fileExists(atPath: root + "/bin"))
            #expect(!files.fileExists(atPath: root + "/usr/bin"))
            #expect(files.isExecutableFile(atPath: root + Self.entrypoint))
            #expect(files.fileExists(atPath: root + "/etc/ssl/certs/ca-certificates.crt"))
            #expect(files.fileExists(atPath: root + "/lib64/ld-linux-x86-64.so.2"))
            let passwd = try String(contentsOfFile: root + "/etc/passwd", encoding: .utf8)
            #expect(passwd.contains("sguser:x:1000:1000:"))
            let reportsOwner = try files.attributesOfItem(atPath: root + "/app/reports")[.ownerAccountID] as? NSNumber
            #expect(reportsOwner?.intValue == 1000, "sguser writes reports")
            #expect(files.fileExists(atPath: root + "/app/configs"))
            let baked = try files.contentsOfDirectory(atPath: root + "/app/scenarios").sorted()
            let bundled = try files.contentsOfDirectory(atPath: ToolRunner.packageRoot.appendingPathComponent("scenarios").path)
                .filter { $0.hasSuffix(".yaml") }.sorted()
            #expect(baked == bundled)
            for name in bundled {
                #expect(files.contentsEqual(atPath: root + "/app/scenarios/" + name,
                                            andPath: ToolRunner.packageRoot.appendingPathComponent("scenarios/" + name).path))
            }
            // The stripped release binary: no symbol table, no debug information.
            let sections = try await ProcessInvocation.run(ProcessInvocation(
                executable: "/usr/bin/env", arguments: ["readelf", "-S", root + Self.entrypoint], environment: ProcessInfo.processInfo.environment))
            let sectionText = String(decoding: sections.standardOutput, as: UTF8.self)
            #expect(sections.status == 0)
            #expect(!sectionText.contains(".symtab") && !sectionText.contains(".debug_info"))
        }
    }

    /// The guide's line with its mounts:
    ///   docker run --rm -v ~/.aws:/home/sguser/.aws:ro -v $(pwd)/sg/configs:/app/configs:ro
    ///     -v $(pwd)/sg/reports:/app/reports sg-provisioner:latest -con my-config.yaml -act test-deploy
    /// `buildah run` takes the image's entrypoint from its config; the AWS peer is moto, reached
    /// through `endpoint_url` in the mounted ~/.aws/config (nothing added to the line). The
    /// deployment is the guide's three-tier example.
    @Test("the security guide's docker run line, through buildah run: same mounts, as sguser, against moto")
    func securityGuideLine() async throws {
        let moto = try await MotoServer.shared()
        let ec2 = try AWSSession(region: "eu-west-1", credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
                                 options: AWSSessionOptions(endpointURL: moto.endpoint.absoluteString), system: .live,
                                 transport: URLSessionTransport()).ec2()
        let vpc = try await ec2.createVpc(cidrBlock: "10.20.0.0/16")

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("sg-image-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let aws = work.appendingPathComponent("home/.aws"), configs = work.appendingPathComponent("sg/configs"),
            reports = work.appendingPathComponent("sg/reports")
        for directory in [aws, configs, reports] { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        let config = """
            company_prefix: acme
            environment: dev
            deployment_id: img1
            region: eu-west-1
            vpc_id: \(vpc.vpcID)
            vpc_cidr: 10.20.0.0/16
            scenario: three-tier-web
            tags:
              owner: image-test

            """
        try Data(config.utf8).write(to: configs.appendingPathComponent("my-config.yaml"))
        try Data("[default]\nregion = eu-west-1\nendpoint_url = \(moto.endpoint.absoluteString)\n".utf8).write(to: aws.appendingPathComponent("config"))
        try Data("[default]\naws_access_key_id = AKIAIMAGETEST0000001\naws_secret_access_key = image-secret\n".utf8)
            .write(to: aws.appendingPathComponent("credentials"))
        // A developer's ~/.aws: files readable by their owner only, uid 1000 like sguser; the
        // reports directory writable by that uid.
        for path in [aws.path, aws.appendingPathComponent("config").path, aws.appendingPathComponent("credentials").path, reports.path] {
            try FileManager.default.setAttributes([.ownerAccountID: 1000, .groupOwnerAccountID: 1000], ofItemAtPath: path)
        }
        for file in ["config", "credentials"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: aws.appendingPathComponent(file).path)
        }

        let (outcome, stdout, stderr) = try await Self.withContainer { container in
            try await Self.buildah(["run", "--isolation", "chroot",
                                    "-v", "\(aws.path):/home/sguser/.aws:ro",
                                    "-v", "\(configs.path):/app/configs:ro",
                                    "-v", "\(reports.path):/app/reports",
                                    container, "--", Self.entrypoint, "-con", "my-config.yaml", "-act", "test-deploy"])
        }
        // buildah adds its own lines about the exit status; they are not the tool's.
        let toolStderr = stderr.split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("subprocess exited with status") && !$0.hasPrefix("Error: exit status") }
        #expect(outcome == 0, "\(stdout)\(stderr)")
        #expect(toolStderr.isEmpty, "\(toolStderr)")
        #expect(stdout.contains("test-deploy: acme-dev-img1-eu-west-1: 0 difference(s) between the live groups and the model; PASSED"), "\(stdout)")
        #expect(stdout.contains("creating stack acme-dev-img1-eu-west-1-sg-stack-test-"), "\(stdout)")
        #expect(stdout.contains("deleting stack acme-dev-img1-eu-west-1-sg-stack-test-"))

        // The audit log landed in the mounted reports directory, written by sguser, not root.
        let written = try FileManager.default.contentsOfDirectory(atPath: reports.path)
        let log = try #require(written.first { $0.hasPrefix("acme-dev-img1-eu-west-1-sg-test-deploy-") && $0.hasSuffix(".log") }, "\(written)")
        let owner = try FileManager.default.attributesOfItem(atPath: reports.appendingPathComponent(log).path)[.ownerAccountID] as? NSNumber
        #expect(owner?.intValue == 1000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: configs.path) == ["my-config.yaml"], "configs are mounted read-only")
        let logText = try String(contentsOf: reports.appendingPathComponent(log), encoding: .utf8)
        #expect(!logText.contains("image-secret"))
    }

    @Test("writing into the read-only configs mount is a clear error, not a crash")
    func readOnlyConfigs() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("sg-image-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let configs = work.appendingPathComponent("configs")
        try FileManager.default.createDirectory(at: configs, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: ToolRunner.packageRoot.appendingPathComponent("configs/globalbank-prod-c001-us-west-2.yaml"),
                                         to: configs.appendingPathComponent("globalbank-prod-c001-us-west-2.yaml"))
        let (status, _, stderr) = try await Self.withContainer { container in
            try await Self.buildah(["run", "--isolation", "chroot", "-v", "\(configs.path):/app/configs:ro", container, "--",
                                    Self.entrypoint, "-con", "globalbank-prod-c001-us-west-2", "-act", "create-prov-template",
                                    "--reports-dir", "/app/configs"])
        }
        #expect(status == 1)
        #expect(stderr.contains("error: cannot write"), "\(stderr)")
        #expect(!stderr.contains("Fatal error") && !stderr.contains("Stack dump"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: configs.path) == ["globalbank-prod-c001-us-west-2.yaml"])
    }
}
