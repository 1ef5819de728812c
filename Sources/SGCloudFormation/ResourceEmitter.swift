import SGModel

/// Turns planned tiers and rules into template resources and outputs.
struct ResourceEmitter: Sendable {
    let deployment: Deployment
    /// The config tags that passed the checks, in config order.
    let tags: [Tag]

    static let securityGroupType = "AWS::EC2::SecurityGroup"
    static let ingressType = "AWS::EC2::SecurityGroupIngress"
    static let egressType = "AWS::EC2::SecurityGroupEgress"
    static let parameterType = "AWS::SSM::Parameter"

    /// How a standalone rule names a group: `!GetAtt` in the same stack, `!ImportValue` of the
    /// group's export from another stack.
    enum GroupReference {
        case sameStack
        case imported
    }

    /// Tags of every resource: Name, the config's tags in order, then the two keys drift and
    /// audit use to map live groups back to tiers. An adopted tier keeps its group's own Name tag
    /// (none when the group had none) instead of the tool's name.
    func tagPairs(tier: String, adopted: AdoptedGroup? = nil) -> [(String, String)] {
        let name: [(String, String)]
        if let adopted {
            name = adopted.nameTag.map { [("Name", $0)] } ?? []
        } else {
            name = [("Name", deployment.identity.groupName(tier: tier))]
        }
        return name
            + tags.map { ($0.key, $0.value) }
            + [
                (DeploymentIdentity.deploymentTagKey, deployment.identity.qualifiedName),
                (DeploymentIdentity.tierTagKey, tier),
            ]
    }

    func groupDescription(_ tier: Tier) -> String {
        tier.description ?? Self.generatedGroupDescription(deployment.identity, tier: tier.name)
    }

    /// The GroupDescription of a tier whose scenario gives it no description.
    static func generatedGroupDescription(_ identity: DeploymentIdentity, tier: String) -> String {
        "sg-provisioner \(identity.qualifiedName) tier \(tier)"
    }

    /// The `AWS::EC2::SecurityGroup` with its inline rules. An adopted tier's group keeps the live
    /// group's GroupName and GroupDescription (changing either replaces the group) and is retained
    /// when the stack is deleted or an update would replace it.
    func securityGroup(_ plan: TierPlan) -> TemplateResource {
        let adopted = plan.adopted
        var properties: [(String, TemplateValue)] = [
            ("GroupName", .string(adopted?.groupName ?? deployment.identity.groupName(tier: plan.tier.name))),
            ("GroupDescription", adopted.map { .string($0.groupDescription) } ?? regional(groupDescription(plan.tier))),
            ("VpcId", deployment.isFleet ? .ref(StackSetForm.vpcIDParameter) : .string(deployment.config.vpcID)),
        ]
        if !plan.inlineIngress.isEmpty {
            properties.append(("SecurityGroupIngress", .list(plan.inlineIngress.map { .map(ruleFields($0, peer: nil)) })))
        }
        if plan.egressDeclared {
            // A group created without inline egress gets AWS's allow-all rule, and only the
            // undocumented behaviour of standalone egress resources would remove it later
            // (`DefaultEgress` has the sources): the inline list is never empty.
            var egress = plan.inlineEgress.map { TemplateValue.map(ruleFields($0, peer: nil)) }
            if egress.isEmpty { egress = [Self.egressPlaceholder] }
            properties.append(("SecurityGroupEgress", .list(egress)))
        }
        properties.append(("Tags", .list(tagPairs(tier: plan.tier.name, adopted: adopted).map {
            .map([("Key", .string($0.0)), ("Value", regional($0.1))])
        })))
        let retain = adopted == nil ? nil : Self.retainPolicy
        return TemplateResource(
            logicalID: plan.groupID, type: Self.securityGroupType, properties: properties, deletionPolicy: retain,
            updateReplacePolicy: retain)
    }

    /// The policy that keeps an adopted group in AWS whatever happens to the stack.
    static let retainPolicy = "Retain"

    /// The rule that matches no traffic (`DefaultEgress.closedPlaceholder`), written like any rule.
    static let egressPlaceholder: TemplateValue = {
        let key = DefaultEgress.closedPlaceholder
        let rule = Rule(
            direction: key.direction, ipProtocol: key.ipProtocol, ports: key.ports, peer: key.peer,
            description: TemplateCompiler.egressPlaceholderDescription, locations: RuleLocations(rule: .file("")))
        return .map(fields(of: rule, peer: nil))
    }()

    /// The SSM parameter publishing the group id at `/{company}/{env}/{deployment_id}/sg/{tier}`.
    func parameter(_ plan: TierPlan) -> TemplateResource {
        TemplateResource(logicalID: plan.parameterID, type: Self.parameterType, properties: [
            ("Name", .string(deployment.identity.ssmParameterName(tier: plan.tier.name))),
            ("Description", regional("Security group id of tier \(plan.tier.name) of \(deployment.identity.qualifiedName)")),
            ("Type", .string("String")),
            ("Value", .getAtt(plan.groupID, "GroupId")),
            // SSM's Tags is a JSON object, not the Key/Value list EC2 uses.
            ("Tags", .map(tagPairs(tier: plan.tier.name).map { ($0.0, regional($0.1)) })),
        ])
    }

    /// The output exporting the group id as `{qualifiedName}-{tier}-sg-id`.
    func output(_ plan: TierPlan) -> TemplateOutput {
        var output = TemplateOutput(
            logicalID: plan.outputID, description: "Security group id of tier \(plan.tier.name)",
            value: .getAtt(plan.groupID, "GroupId"), exportName: plan.exportName)
        if deployment.isFleet { output.exportNameValue = regional(plan.exportName) }
        return output
    }

    /// Text that names the deployment's region: a `!Sub` over `${AWS::Region}` in a StackSet's
    /// template, the plain string otherwise (`StackSetForm.value`).
    func regional(_ text: String) -> TemplateValue { StackSetForm.value(text, deployment: deployment) }

    /// The standalone `AWS::EC2::SecurityGroupIngress/Egress` resources of a tier.
    func standaloneRules(_ plan: TierPlan, plans: [String: TierPlan], reference: GroupReference) -> [TemplateResource] {
        plan.standaloneRules.map { rule, logicalID in
            let peer: TemplateValue?
            if case .tier(let name) = rule.peer, let peerPlan = plans[name] {
                peer = groupID(peerPlan, reference: reference)
            } else {
                peer = nil
            }
            let properties = [("GroupId", groupID(plan, reference: reference))] + ruleFields(rule, peer: peer)
            return TemplateResource(
                logicalID: logicalID,
                type: rule.direction == .ingress ? Self.ingressType : Self.egressType, properties: properties)
        }
    }

    private func groupID(_ plan: TierPlan, reference: GroupReference) -> TemplateValue {
        switch reference {
        case .sameStack: return .getAtt(plan.groupID, "GroupId")
        case .imported: return .importValue(.string(plan.exportName))
        }
    }

    /// The fields of one rule as EC2 names them. `peer` is the group id value for tier peers.
    func ruleFields(_ rule: Rule, peer: TemplateValue?) -> [(String, TemplateValue)] { Self.fields(of: rule, peer: peer) }

    /// `ruleFields`, for rules written before there is an emitter (the placeholder).
    static func fields(of rule: Rule, peer: TemplateValue?) -> [(String, TemplateValue)] {
        var fields: [(String, TemplateValue)] = [("IpProtocol", .string(rule.ipProtocol.wireValue))]
        if let ports = EC2Permission.wirePorts(rule.ipProtocol, rule.ports) {
            fields += [("FromPort", .int(ports.from)), ("ToPort", .int(ports.to))]
        }
        switch rule.peer {
        case .cidr(let block):
            fields.append((block.family == .ipv4 ? "CidrIp" : "CidrIpv6", .string(block.description)))
        case .securityGroup(let id):
            fields.append((rule.direction == .ingress ? "SourceSecurityGroupId" : "DestinationSecurityGroupId", .string(id)))
            // A group of another account needs its owner (only ingress has the field).
            if rule.direction == .ingress, let account = rule.peerAccount {
                fields.append(("SourceSecurityGroupOwnerId", .string(account)))
            }
        case .prefixList(let id):
            fields.append((rule.direction == .ingress ? "SourcePrefixListId" : "DestinationPrefixListId", .string(id)))
        case .tier:
            if let peer {
                fields.append((rule.direction == .ingress ? "SourceSecurityGroupId" : "DestinationSecurityGroupId", peer))
            }
        }
        if let description = rule.description { fields.append(("Description", .string(description))) }
        return fields
    }
}
