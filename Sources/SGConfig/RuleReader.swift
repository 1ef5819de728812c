import SGDiagnostics
import SGModel
import SGYAML

/// Reads one rule mapping (`{ protocol: tcp, port: 443, source: 0.0.0.0/0 }`) into a `Rule`.
///
/// Tier references are only recorded here; whether the tier exists is checked once every tier is
/// known (`ReferenceChecks`), because a rule may name a tier defined further down the file.
struct RuleReader {
    /// The peer keys of one direction, in the order they are suggested.
    struct PeerKeys {
        let cidr: String
        let tier: String
        let securityGroup: String
        let prefixList: String
        /// "source" or "destination".
        let noun: String
        /// The four keys, in the order above.
        let all: [String]

        init(cidr: String, tier: String, securityGroup: String, prefixList: String, noun: String) {
            (self.cidr, self.tier, self.securityGroup, self.prefixList, self.noun) = (cidr, tier, securityGroup, prefixList, noun)
            all = [cidr, tier, securityGroup, prefixList]
        }

        static let ingress = PeerKeys(
            cidr: "source", tier: "source_tier", securityGroup: "source_security_group", prefixList: "source_prefix_list",
            noun: "source")
        static let egress = PeerKeys(
            cidr: "destination", tier: "destination_tier", securityGroup: "destination_security_group",
            prefixList: "destination_prefix_list", noun: "destination")

        static func `for`(_ direction: Direction) -> PeerKeys {
            direction == .ingress ? ingress : egress
        }
    }

    static let portKeys = ["protocol", "port", "port_range", "icmp_type", "icmp_code", "description"]
    static let protocolNames = ["tcp", "udp", "icmp", "icmpv6", "all"]
    /// The account owning `source_security_group` when it is in another account.
    static let ownerKey = "source_security_group_owner"
    /// Read on egress rules only to explain that CloudFormation cannot express it there.
    static let egressOwnerKey = "destination_security_group_owner"

    /// The keys a rule of each direction accepts (the other direction's peer keys only to
    /// explain them) and the ones it advertises; built once, not per rule.
    private static let ingressAllowedKeys = portKeys + PeerKeys.ingress.all + [ownerKey] + PeerKeys.egress.all
    private static let egressAllowedKeys = portKeys + PeerKeys.egress.all + [egressOwnerKey] + PeerKeys.ingress.all
    private static let ingressAdvertisedKeys = portKeys + PeerKeys.ingress.all + [ownerKey]
    private static let egressAdvertisedKeys = portKeys + PeerKeys.egress.all
    private static let requiredKeys = ["protocol"]

    /// Reads a rule. `isRemoval` is for an override's `remove_*` items, whose description is
    /// ignored (a removal matches by protocol, ports and peer only).
    static func read(
        _ node: YAMLNode, direction: Direction, listKey: String, origin: RuleOrigin, isRemoval: Bool = false,
        reader: inout NodeReader
    ) -> Rule? {
        let isIngress = direction == .ingress
        let own = isIngress ? PeerKeys.ingress : PeerKeys.egress
        let other = isIngress ? PeerKeys.egress : PeerKeys.ingress
        let what = isIngress ? "ingress rule" : "egress rule"
        let errorsBefore = reader.mark
        guard let fields = reader.fields(
            node, of: what, label: "each item of \(listKey)", allowed: isIngress ? ingressAllowedKeys : egressAllowedKeys,
            required: requiredKeys, advertised: isIngress ? ingressAdvertisedKeys : egressAdvertisedKeys)
        else { return nil }

        let ipProtocol = fields["protocol"].flatMap { readProtocol($0, reader: &reader) }
        let ports = readPorts(fields, ipProtocol: ipProtocol, reader: &reader)
        let peer = readPeer(node: node, fields: fields, own: own, other: other, direction: direction, reader: &reader)

        var description: String?
        if let descriptionNode = fields["description"], !isRemoval {
            description = readDescription(descriptionNode, label: "rule description", reader: &reader)
        }
        let peerAccount = readOwner(fields, direction: direction, peer: peer?.peer, reader: &reader)

        guard !reader.hasErrors(since: errorsBefore), let ipProtocol, let ports, let peer else { return nil }
        let locations = RuleLocations(
            rule: node.location, ipProtocol: fields["protocol"]?.location, ports: ports.location, peer: peer.location)
        return Rule(
            direction: direction, ipProtocol: ipProtocol, ports: ports.spec, peer: peer.peer, description: description,
            locations: locations, origin: origin, peerAccount: peerAccount)
    }

    // MARK: - Owner account

    /// `source_security_group_owner`: the 12-digit account of a `source_security_group` in another
    /// account. Only ingress can say it: CloudFormation has `SourceSecurityGroupOwnerId` and no
    /// egress counterpart.
    private static func readOwner(_ fields: Fields, direction: Direction, peer: Peer?, reader: inout NodeReader) -> String? {
        if direction == .egress {
            if let key = fields.keyNode(egressOwnerKey) {
                reader.diagnostics.error(
                    .misplacedOwnerAccount,
                    "\(egressOwnerKey) is not supported: CloudFormation's egress rules have no owner account field; name the group by destination_security_group alone",
                    at: key.location)
            }
            return nil
        }
        guard let node = fields[ownerKey] else { return nil }
        guard let text = reader.string(node, for: ownerKey) else { return nil }
        guard ConfigRules.isAccountID(text) else {
            reader.diagnostics.error(
                .invalidAccountID, "invalid \(ownerKey) \(TextSupport.quoted(text)): expected a 12-digit AWS account id", at: node.location)
            return nil
        }
        if let peer {
            guard case .securityGroup = peer else {
                reader.diagnostics.error(
                    .misplacedOwnerAccount, "\(ownerKey) names the account of source_security_group; this rule's source is \(peer)",
                    at: fields.keyNode(ownerKey)!.location)
                return nil
            }
        }
        return text
    }

    // MARK: - Protocol

    /// `tcp`, `udp`, `icmp`, `icmpv6`, `all`, `-1` or an IANA number 0-255, spelled exactly.
    static func readProtocol(_ node: YAMLNode, reader: inout NodeReader) -> IPProtocol? {
        guard let text = reader.string(node, for: "protocol") else { return nil }
        // The spellings of `protocolNames` and -1, as `IPProtocol(text:)` reads them.
        switch text {
        case "tcp": return .tcp
        case "udp": return .udp
        case "icmp": return .icmp
        case "icmpv6": return .icmpv6
        case "all", "-1": return .all
        default: break
        }
        if !text.isEmpty, text.allSatisfy({ ("0"..."9").contains($0) }) {
            guard text == "0" || !text.hasPrefix("0") else {
                reader.diagnostics.error(.invalidProtocol, "protocol number \(TextSupport.quoted(text)) must not have leading zeros", at: node.location)
                return nil
            }
            // Int(text) is nil only on overflow: out of range as well.
            guard let number = Int(text), number <= 255 else {
                reader.diagnostics.error(.invalidProtocol, "protocol number \(text) is out of range 0-255", at: node.location)
                return nil
            }
            return IPProtocol(number: number)
        }
        reader.diagnostics.error(
            .invalidProtocol, "unknown protocol \(TextSupport.quoted(text))\(TextSupport.didYouMean(text, in: protocolNames))",
            at: node.location, notes: [.init("use tcp, udp, icmp, icmpv6, all, or an IP protocol number 0-255")])
        return nil
    }

    // MARK: - Ports

    /// An ICMP type or code: 0-255, or -1 for "any" as AWS writes it (the same as leaving the key
    /// out).
    private static func icmpNumber(_ node: YAMLNode, for label: String, reader: inout NodeReader) -> Int? {
        if node.tag == nil, node.scalar?.value == "-1" { return -1 }
        return reader.integer(node, for: label, in: 0...255, rangeCode: .invalidICMP, hint: " (or -1 for any)")
    }

    /// Reads `port`/`port_range`/`icmp_*` and checks they fit the protocol.
    private static func readPorts(
        _ fields: Fields, ipProtocol: IPProtocol?, reader: inout NodeReader
    ) -> (spec: PortSpec, location: SourceLocation?)? {
        var range: PortRange?
        var rangeLocation: SourceLocation?
        var portsFailed = false
        if let portNode = fields["port"] {
            let hint = { portNode.string.flatMap { parsePortRangeText($0) } != nil ? "; use port_range for a range of ports" : "" }
            if let port = reader.integer(portNode, for: "port", in: 0...65535, rangeCode: .portOutOfRange, hint: hint()) {
                range = PortRange(port: port)
            } else {
                portsFailed = true
            }
            rangeLocation = portNode.location
        }
        if let rangeNode = fields["port_range"] {
            if fields.has("port") {
                reader.diagnostics.error(.conflictingPorts, "give either port or port_range, not both", at: fields.keyNode("port_range")!.location)
                portsFailed = true
            } else {
                range = readPortRange(rangeNode, reader: &reader)
                rangeLocation = rangeNode.location
                portsFailed = range == nil
            }
        }
        var icmpType: Int?
        var icmpCode: Int?
        var icmpFailed = false
        if let typeNode = fields["icmp_type"] {
            icmpType = icmpNumber(typeNode, for: "icmp_type", reader: &reader)
            icmpFailed = icmpType == nil
        }
        if let codeNode = fields["icmp_code"] {
            icmpCode = icmpNumber(codeNode, for: "icmp_code", reader: &reader)
            icmpFailed = icmpFailed || icmpCode == nil
        }
        if icmpType == -1, let code = icmpCode, code != -1, let codeNode = fields["icmp_code"] {
            // AWS: "If you specify all ICMP types, you must specify all ICMP codes."
            reader.diagnostics.error(
                .invalidICMP, "icmp_code \(code) with icmp_type -1: every type means every code; remove icmp_code or set it to -1",
                at: codeNode.location)
            icmpFailed = true
        }
        guard let ipProtocol else { return nil }
        let hasPortKey = fields.has("port") || fields.has("port_range")
        let portKey = fields.has("port") ? "port" : "port_range"

        switch ipProtocol {
        case .tcp, .udp:
            rejectICMPKeys(fields, ipProtocol: ipProtocol, reader: &reader)
            guard hasPortKey else {
                reader.diagnostics.error(
                    .missingPorts, "protocol \(ipProtocol) needs port or port_range",
                    at: fields["protocol"]?.location ?? fields.node.location)
                return nil
            }
            guard !portsFailed, let range else { return nil }
            return (.ports(range), rangeLocation)
        case .icmp, .icmpv6:
            if hasPortKey {
                reader.diagnostics.error(
                    .portsNotAllowed, "protocol \(ipProtocol) has no ports; remove \(portKey) and use icmp_type and icmp_code",
                    at: fields.keyNode(portKey)!.location)
                return nil
            }
            if fields.has("icmp_code"), !fields.has("icmp_type") {
                reader.diagnostics.error(.invalidICMP, "icmp_code needs icmp_type", at: fields.keyNode("icmp_code")!.location)
                return nil
            }
            guard !icmpFailed else { return nil }
            return (.icmp(type: icmpType ?? -1, code: icmpCode ?? -1), fields["icmp_type"]?.location)
        case .all, .number:
            rejectICMPKeys(fields, ipProtocol: ipProtocol, reader: &reader)
            if hasPortKey {
                let why = ipProtocol == .all ? "protocol all opens every port" : "protocol \(ipProtocol) has no ports"
                reader.diagnostics.error(.portsNotAllowed, "\(why); remove \(portKey)", at: fields.keyNode(portKey)!.location)
                return nil
            }
            return (.all, nil)
        }
    }

    private static func rejectICMPKeys(_ fields: Fields, ipProtocol: IPProtocol, reader: inout NodeReader) {
        for key in ["icmp_type", "icmp_code"] where fields.has(key) {
            reader.diagnostics.error(
                .invalidICMP, "\(key) applies only to icmp and icmpv6 rules, not protocol \(ipProtocol)",
                at: fields.keyNode(key)!.location)
        }
    }

    /// Splits `A-B` into two decimal texts, or nil when the text has another shape.
    static func parsePortRangeText(_ text: String) -> (String, String)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// `A-B` with 0 <= A <= B <= 65535 (decimal digits only).
    static func readPortRange(_ node: YAMLNode, reader: inout NodeReader) -> PortRange? {
        guard let text = reader.string(node, for: "port_range") else { return nil }
        guard let (lowText, highText) = parsePortRangeText(text),
              let low = NodeReader.decimal(lowText), let high = NodeReader.decimal(highText) else {
            reader.diagnostics.error(
                .invalidPortRange, "port_range must be two ports joined by '-' (e.g. 8000-8080), found \(TextSupport.quoted(text))",
                at: node.location)
            return nil
        }
        for port in [low, high] where port > 65535 {
            reader.diagnostics.error(.portOutOfRange, "port \(port) in port_range is out of range 0-65535", at: node.location)
            return nil
        }
        guard low <= high else {
            reader.diagnostics.error(.invalidPortRange, "port_range \(text) is reversed; write \(high)-\(low)", at: node.location)
            return nil
        }
        return PortRange(low, high)
    }

    // MARK: - Peer

    private static func readPeer(
        node: YAMLNode, fields: Fields, own: PeerKeys, other: PeerKeys, direction: Direction, reader: inout NodeReader
    ) -> (peer: Peer, location: SourceLocation)? {
        // Document order, so "more than one" points at the second key the user wrote.
        var ownKeys: [String] = []
        var wrongDirection = false
        for entry in node.mapping ?? [] {
            guard let key = entry.key.string else { continue }
            if own.all.contains(key) {
                ownKeys.append(key)
            } else if let index = other.all.firstIndex(of: key) {
                wrongDirection = true
                reader.diagnostics.error(
                    .peerWrongDirection, "\(key) is not allowed on \(direction == .ingress ? "an ingress" : "an egress") rule; use \(own.all[index])",
                    at: fields.keyNode(key)!.location)
            }
        }
        guard let key = ownKeys.first else {
            if !wrongDirection {
                reader.diagnostics.error(
                    .peerCount, "\(direction.rawValue) rule has no \(own.noun); give one of \(own.all.joined(separator: ", "))",
                    at: node.location)
            }
            return nil
        }
        if ownKeys.count > 1 {
            reader.diagnostics.error(
                .peerCount, "\(direction.rawValue) rule has more than one \(own.noun) (\(ownKeys[0]) and \(ownKeys[1])); give exactly one",
                at: fields.keyNode(ownKeys[1])!.location)
            return nil
        }
        let valueNode = fields[key]!
        guard let text = reader.string(valueNode, for: key) else { return nil }
        let location = valueNode.location
        switch key {
        case own.cidr:
            switch CIDRBlock.parse(text) {
            case .success(let block): return (.cidr(block), location)
            case .failure(let error):
                let message: String
                if case .malformed = error {
                    message = "invalid \(key): \(error)"
                } else {
                    message = "invalid \(key) \(TextSupport.quoted(text)): \(error)"
                }
                reader.diagnostics.error(.invalidPeerCIDR, message, at: location)
                return nil
            }
        case own.tier:
            guard !text.isEmpty else {
                reader.diagnostics.error(.emptyValue, "\(key) must not be empty", at: location)
                return nil
            }
            return (.tier(text), location)
        case own.securityGroup:
            guard ResourceID.isValid(text, prefix: "sg") else {
                reader.diagnostics.error(
                    .invalidSecurityGroupID, "invalid \(key) \(TextSupport.quoted(text)): expected 'sg-' followed by 8 or 17 lowercase hex digits",
                    at: location)
                return nil
            }
            return (.securityGroup(text), location)
        default:
            guard ResourceID.isValid(text, prefix: "pl") else {
                reader.diagnostics.error(
                    .invalidPrefixListID, "invalid \(key) \(TextSupport.quoted(text)): expected 'pl-' followed by 8 or 17 lowercase hex digits",
                    at: location)
                return nil
            }
            return (.prefixList(text), location)
        }
    }

    // MARK: - Description

    /// A rule or group description within AWS's limits; empty reads as none.
    static func readDescription(_ node: YAMLNode, label: String, reader: inout NodeReader) -> String? {
        guard let text = reader.string(node, for: label), !text.isEmpty else { return nil }
        if let bad = AWSTextRules.firstInvalidDescriptionCharacter(text) {
            reader.diagnostics.error(
                .invalidDescription, "\(label) contains \(TextSupport.describe(bad)), which AWS does not allow",
                at: node.location, notes: [.init("allowed characters: \(AWSTextRules.descriptionCharsetText)")])
            return nil
        }
        // A text has at most as many Characters as UTF-8 bytes: count Characters only when the
        // bytes alone do not settle it.
        if text.utf8.count > AWSTextRules.maxDescriptionLength, text.count > AWSTextRules.maxDescriptionLength {
            reader.diagnostics.error(
                .invalidDescription, "\(label) is \(text.count) characters; AWS allows at most \(AWSTextRules.maxDescriptionLength)",
                at: node.location)
            return nil
        }
        return text
    }
}
