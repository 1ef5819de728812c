import Foundation
import SGTestSupport
import Testing

/// Every template of the aws-cloudformation-templates corpus (Tests/Fixtures/corpora, see its
/// README) through `import-security-groups --template`, one run each: no crash; every template
/// that declares a security group imports, and its deployment validates without an input error;
/// the others end with E543, each for the reason pinned here.
@Suite(.serialized) struct CorpusImportTests {
    static let root = CorpusAuditTests.awsTemplates

    /// Templates with no security group of their own: they take existing groups as parameters
    /// (List<AWS::EC2::SecurityGroup::Id>, AWS::EC2::SecurityGroup::Id) for endpoints, directories
    /// and peering.
    static let declareNone = [
        "AWSSupplyChain/SapPrivateLink/SapPrivateLink.json", "AWSSupplyChain/SapPrivateLink/SapPrivateLink.yaml",
        "AWSSupplyChain/SapPrivateLink/SapPrivateLinkNoHostedZone.json", "AWSSupplyChain/SapPrivateLink/SapPrivateLinkNoHostedZone.yaml",
        "EFS/EFSAccessPoint.yaml",
        "Solutions/DirectoryADClients/DIRECTORY-AD-CLIENTS.json", "Solutions/DirectoryADClients/DIRECTORY-AD-CLIENTS.yaml",
        "Solutions/DirectoryServiceSettings/templates/DIRECTORY_SETTINGS.cfn.json",
        "Solutions/DirectoryServiceSettings/templates/DIRECTORY_SETTINGS.cfn.yaml",
        "Solutions/VPCPeering/templates/VPCPeering-Accepter.main.cfn.json", "Solutions/VPCPeering/templates/VPCPeering-Accepter.main.cfn.yaml",
        "Solutions/VPCPeering/templates/VPCPeering-Requester.main.cfn.json", "Solutions/VPCPeering/templates/VPCPeering-Requester.main.cfn.yaml",
    ]
    /// Templates that only add rules (AWS::EC2::SecurityGroupIngress) to up to six groups passed in
    /// as parameters: a config holds rules only of groups it holds.
    static let onlyRulesOnOutsideGroups = [
        "Solutions/VPCPeering/templates/VPCPeering-Updates.cfn.json", "Solutions/VPCPeering/templates/VPCPeering-Updates.cfn.yaml",
    ]

    static func templates() throws -> [String] {
        let enumerator = try #require(FileManager.default.enumerator(atPath: root.path))
        return enumerator.compactMap { $0 as? String }
            .filter { ["yaml", "yml", "json", "template"].contains(($0 as NSString).pathExtension) }.sorted()
    }

    @Test func everyTemplateImportsWithoutACrashAndEveryImportedDeploymentValidates() throws {
        let tool = try ToolRunner()
        defer { tool.cleanUp() }
        let templates = try Self.templates()
        #expect(templates.count == 128)
        var imported: [String] = [], nothing: [String: String] = [:]
        for (index, template) in templates.enumerated() {
            let name = "corpus-test-t\(index)-us-east-1"
            let outcome = try tool.run([
                "-con", name, "-act", "import-security-groups", "--template", Self.root.appendingPathComponent(template).path,
                "--vpc-id", "vpc-0a1b2c3d4e5f60001",
            ])
            #expect(!outcome.stderr.contains("Fatal error") && !outcome.stderr.contains("Stack dump"), "\(template)")
            switch outcome.exitCode {
            case 0:
                imported.append(template)
                let validate = try tool.run(["-con", name, "-act", "validate-prov-template", "--output", "json"])
                let document = try #require(try JSONSerialization.jsonObject(with: Data(validate.stdout.utf8)) as? [String: Any], "\(template)")
                #expect((document["errors"] as? [Any])?.isEmpty == true, "\(template): \(document["errors"] ?? "")")
            case 1:
                let errors = outcome.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
                #expect(errors.count == 1 && errors[0].hasSuffix("[E543]"), "\(template): \(outcome.stderr)")
                nothing[template] = errors.first.map(String.init) ?? ""
                #expect(!FileManager.default.fileExists(atPath: tool.directory.appendingPathComponent("configs/\(name).yaml").path))
            default:
                Issue.record("\(template): exit \(outcome.exitCode)\n\(outcome.stderr)")
            }
        }
        #expect(imported.count == 113)
        #expect(Set(nothing.keys) == Set(Self.declareNone + Self.onlyRulesOnOutsideGroups))
        for template in Self.declareNone {
            #expect(nothing[template] == "sg-provisioner: error: the template declares no security group (AWS::EC2::SecurityGroup) and adds no rule to one: nothing to import [E543]")
        }
        for template in Self.onlyRulesOnOutsideGroups {
            #expect(nothing[template] == "sg-provisioner: error: none of the 6 security group(s) the template names can be imported (see the warnings) [E543]")
        }
    }
}
