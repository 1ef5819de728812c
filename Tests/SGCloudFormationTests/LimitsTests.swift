import SGDiagnostics
import SGModel
import Testing

@testable import SGCloudFormation

/// The single-stack rendered size of a deployment, whatever its size.
func unlimitedSize(_ deployment: Deployment) -> Int {
    let unlimited = StackLimits(maxResources: 10_000, maxTemplateBytes: 100_000_000, maxOutputs: 10_000, maxRulesPerDirection: 60)
    return TemplateCompiler(toolVersion: "1.0.0-test", limits: unlimited).compile(deployment).stacks[0].template.renderedSize
}

/// A deployment of `shape(n)` whose single-stack template renders to exactly `target` bytes:
/// picks the tier count from the growth per tier, then pads tier descriptions (letters only, so
/// quoting never changes; each description replaces a default one, so the change is measured).
func deployment(paddedTo target: Int, shape: (Int) -> Deployment) throws -> Deployment {
    let one = unlimitedSize(shape(1))
    let perTier = unlimitedSize(shape(2)) - one
    var padded = shape((target - one) / perTier + 1)
    var missing = target - unlimitedSize(padded)
    try #require(missing >= 0)
    for index in padded.tiers.indices where missing > 0 {
        let defaultLength = "sg-provisioner \(padded.identity.qualifiedName) tier \(padded.tiers[index].name)".count
        let length = min(255, defaultLength + missing)
        padded.tiers[index].description = String(repeating: "p", count: length)
        missing -= length - defaultLength
    }
    try #require(missing == 0, "not enough tiers to pad")
    return padded
}

func tiersWithoutRules(_ count: Int) -> [TierDraft] {
    (0..<count).map { TierDraft(name: "t\($0)", egress: nil) }
}

@Suite struct LimitsTests {
    @Test func inlineBodyLimitIsExact() throws {
        let shape = { (count: Int) in DeploymentBuilder(tiersWithoutRules(count)).build() }
        let atLimit = try deployment(paddedTo: StackLimits.awsMaxInlineTemplateBodyBytes, shape: shape)
        let fits = compiler.compile(atLimit)
        #expect(fits.stacks.count == 1)
        #expect(fits.stacks[0].template.renderedSize == 51_200)
        #expect(fits.diagnostics.all.isEmpty)

        let over = try deployment(paddedTo: StackLimits.awsMaxInlineTemplateBodyBytes + 1, shape: shape)
        let split = compiler.compile(over)
        #expect(split.stacks.count > 1)
        #expect(split.stacks.allSatisfy { $0.template.renderedSize <= 51_200 })
        #expect(split.diagnostics.all.map(\.code) == [.cfnSplitIntoStacks])
        #expect(split.diagnostics.all.first?.message.contains("51201 bytes") == true)
    }

    @Test func templateURLLimitIsExact() throws {
        let longText = String(repeating: "L", count: 200)
        let shape = { (count: Int) in
            DeploymentBuilder((0..<count).map { index in
                TierDraft(name: "t\(index)", ingress: (1...30).map { ingress(.tcp, .port($0), cidr("10.0.0.0/8"), longText) }, egress: nil)
            }).build()
        }
        let url = TemplateCompiler(toolVersion: "1.0.0-test", limits: .templateURL)
        let atLimit = try deployment(paddedTo: StackLimits.awsMaxTemplateURLBytes, shape: shape)
        let fits = url.compile(atLimit)
        #expect(fits.stacks.count == 1)
        #expect(fits.stacks[0].template.renderedSize == 1_000_000)
        let over = try deployment(paddedTo: StackLimits.awsMaxTemplateURLBytes + 1, shape: shape)
        let split = url.compile(over)
        #expect(split.stacks.map(\.role) == [.main, .groups(part: 2)])
        #expect(split.stacks.allSatisfy { $0.template.renderedSize <= 1_000_000 })
    }

    @Test func resourceLimitIsExact() {
        // 100 tiers (group + parameter each) and 300 tier-to-tier rules: 500 resources.
        func build(extraRule: Bool) -> Deployment {
            var tiers = (0..<100).map { index in
                TierDraft(name: "t\(index)", ingress: (0..<3).map { ingress(.tcp, .port(1000 + $0), .tier("t\((index + 1) % 100)")) }, egress: nil)
            }
            if extraRule { tiers[0].ingress.append(ingress(.tcp, .port(2000), .tier("t1"))) }
            return DeploymentBuilder(tiers).build()
        }
        let url = TemplateCompiler(toolVersion: "1.0.0-test", limits: .templateURL)
        let fits = url.compile(build(extraRule: false))
        #expect(fits.stacks.count == 1)
        #expect(fits.stacks[0].template.resources.count == StackLimits.awsMaxResourcesPerStack)
        let split = url.compile(build(extraRule: true))
        #expect(split.stacks.map(\.role) == [.main, .rules(part: 1)])
        #expect(split.stacks.map(\.template.resources.count) == [200, 301])
    }

    @Test func outputLimitIsExact() {
        let url = TemplateCompiler(toolVersion: "1.0.0-test", limits: .templateURL)
        let fits = url.compile(DeploymentBuilder(tiersWithoutRules(200)).build())
        #expect(fits.stacks.count == 1)
        #expect(fits.stacks[0].template.outputs.count == StackLimits.awsMaxOutputsPerStack)
        let split = url.compile(DeploymentBuilder(tiersWithoutRules(201)).build())
        #expect(split.stacks.map(\.role) == [.main, .groups(part: 2)])
        #expect(split.stacks.map(\.template.outputs.count) == [200, 1])
        #expect(split.stacks.map(\.stackName) == [
            "globalbank-prod-c001-us-west-2-sg-stack", "globalbank-prod-c001-us-west-2-sg-stack-groups-2",
        ])
        // Counts over the limits: W401 states them (bytes are only measured when the counts fit).
        #expect(split.diagnostics.all.map(\.message) == [
            "the deployment does not fit one CloudFormation stack (402 resources, 201 outputs; at most 500 and 200); compiled into 2 stacks, to be deployed in order",
        ])
    }

    @Test func thousandTiersSplitIntoLintableStacksThatKeepEveryRule() throws {
        let deployment = SampleDeployments.generated(tiers: 1000, rulesPerTier: 20)
        let result = compiler.compile(deployment)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        #expect(result.stacks.first?.role == .main)
        var exports = Set<String>()
        var inlineRules = 0
        var standaloneRules = 0
        var sawRules = false
        for stack in result.stacks {
            let template = stack.template
            #expect(template.renderedSize <= StackLimits.awsMaxInlineTemplateBodyBytes, "\(stack.stackName)")
            #expect(template.resources.count <= StackLimits.awsMaxResourcesPerStack)
            #expect(template.outputs.count <= StackLimits.awsMaxOutputsPerStack)
            if case .rules = stack.role { sawRules = true } else { #expect(!sawRules, "group stacks come first") }
            for output in template.outputs { exports.insert(try #require(output.exportName)) }
            for group in template.resources(ofType: "AWS::EC2::SecurityGroup") {
                inlineRules += group["SecurityGroupIngress"]?.listValue?.count ?? 0
                inlineRules += group["SecurityGroupEgress"]?.listValue?.count ?? 0
            }
            for rule in template.resources where rule.type != "AWS::EC2::SecurityGroup" && rule.type != "AWS::SSM::Parameter" {
                standaloneRules += 1
                // A rules stack names groups only through exports of the group stacks.
                if case .rules = stack.role {
                    guard case .importValue(.string(let name)) = rule["GroupId"] else {
                        Issue.record("\(rule.logicalID) does not import its group")
                        continue
                    }
                    #expect(exports.contains(name))
                }
            }
        }
        #expect(exports.count == 1000)
        #expect(inlineRules + standaloneRules == 20_000)
        #expect(standaloneRules == 8_000)  // the tier-reference rules
        #expect(result.stacks.filter { $0.role == .main || $0.stackName.contains("-groups-") }.count > 1)
        expectMeasuredSizesExact(result)
    }

    /// The packer checks each split stack against the limits with a size it adds up from the
    /// entry sizes it measured while packing; it must be the full rendering's size, byte for byte.
    func expectMeasuredSizesExact(_ result: CompilationResult, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(result.measuredSizes.count == result.stacks.count, sourceLocation: sourceLocation)
        for stack in result.stacks {
            #expect(result.measuredSizes[stack.stackName] == stack.template.renderedSize, "\(stack.stackName)", sourceLocation: sourceLocation)
        }
    }

    @Test func measuredSizesOfSplitStacksAreExact() {
        let result = compiler.compile(SampleDeployments.generated(tiers: 80, rulesPerTier: 20))
        #expect(result.stacks.count > 2)
        expectMeasuredSizesExact(result)
        // One stack: nothing is measured by parts.
        #expect(compiler.compile(SampleDeployments.generated(tiers: 3, rulesPerTier: 2)).measuredSizes.isEmpty)
    }

    @Test func oversizedGroupMovesItsRulesToRuleStacks() throws {
        let longText = String(repeating: "D", count: 255)
        let deployment = DeploymentBuilder([TierDraft(
            name: "big",
            ingress: (1...60).map { ingress(.tcp, .port($0), cidr("10.0.0.0/8"), longText) },
            egress: (1...59).map { egress(.tcp, .port($0), cidr("10.0.0.0/8"), longText) })]).build()
        let result = compiler.compile(deployment)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        let main = try #require(result.mainStack?.template)
        let group = try #require(main.resource("BigSecurityGroup"))
        #expect(group["SecurityGroupIngress"] == nil)
        #expect(group["SecurityGroupEgress"]?.listValue?.count == 1)  // still closes default egress
        let moved = result.stacks.dropFirst().flatMap(\.template.resources)
        #expect(moved.count == 118)
        #expect(moved.allSatisfy { $0["GroupId"] == .importValue(.string("globalbank-prod-c001-us-west-2-big-sg-id")) })
        #expect(result.stacks.allSatisfy { $0.template.renderedSize <= 51_200 })
        expectMeasuredSizesExact(result)
    }

    @Test func splittingIsDeterministic() {
        let deployment = SampleDeployments.generated(tiers: 80, rulesPerTier: 20)
        let first = compiler.compile(deployment).stacks.map { $0.stackName + $0.template.renderYAML() }
        let second = compiler.compile(deployment).stacks.map { $0.stackName + $0.template.renderYAML() }
        #expect(first == second)
    }
}
