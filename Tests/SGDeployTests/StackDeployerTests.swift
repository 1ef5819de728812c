import Foundation
import SGAWSServices
import SGCloudFormation
import SGDiagnostics
import SGInventory
import SGModel
import Testing

@testable import SGDeploy

@Suite struct StackPolicyTests {
    @Test func productionPolicyDeniesReplacingAndDeletingGroups() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(StackDeployer.productionStackPolicy.utf8)) as? [String: Any])
        let statements = try #require(object["Statement"] as? [[String: Any]])
        let deny = try #require(statements.first { $0["Effect"] as? String == "Deny" })
        #expect(deny["Action"] as? [String] == ["Update:Replace", "Update:Delete"])
        let condition = deny["Condition"] as? [String: [String: [String]]]
        #expect(condition?["StringEquals"]?["ResourceType"] == ["AWS::EC2::SecurityGroup"])
        #expect(statements.contains { $0["Effect"] as? String == "Allow" && $0["Action"] as? String == "Update:*" })
    }

    @Test func deleteOrderIsReverseDeploymentOrder() {
        let base = "a-sg-stack"
        let names = ["a-sg-stack", "a-sg-stack-rules-1", "a-sg-stack-groups-2", "a-sg-stack-rules-2"]
        let order = names.sorted { DeployedStacks.rank($0, base: base) > DeployedStacks.rank($1, base: base) }
        #expect(order == ["a-sg-stack-rules-2", "a-sg-stack-rules-1", "a-sg-stack-groups-2", "a-sg-stack"])
    }
}
