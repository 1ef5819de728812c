import SGDiagnostics
import SGYAML
import Testing

typealias SourceLocation = SGDiagnostics.SourceLocation

/// YAMLNode keeps positions compactly; every position must still read back exactly as written.
@Suite struct YAMLNodeStorageTests {
    static let cases: [(SourceLocation, SourceLocation)] = [
        (SourceLocation(file: "a.yaml", line: 3, column: 7), SourceLocation(file: "a.yaml", line: 3, column: 12)),
        (SourceLocation(file: "a.yaml", line: 1, column: 1), SourceLocation(file: "b.yaml", line: 9, column: 2)),
        (SourceLocation(file: "a.yaml", line: 5_000_000_000, column: 1), SourceLocation(file: "a.yaml", line: 5_000_000_001, column: 1)),
        (SourceLocation(file: "a.yaml", line: -1, column: 0), SourceLocation(file: "a.yaml", line: 0, column: -4)),
        (SourceLocation(file: "", line: Int(UInt32.max), column: Int(UInt32.max)), SourceLocation(file: "", line: 1, column: 1)),
    ]

    @Test(arguments: 0..<cases.count)
    func positionsReadBackExactly(index: Int) {
        let (start, end) = Self.cases[index]
        var node = YAMLNode(.scalar(YAMLScalar("x")), location: start, endLocation: end, tag: "!Ref")
        #expect(node.location == start)
        #expect(node.endLocation == end)
        let plain = SourceLocation(file: "c.yaml", line: 2, column: 4)
        node.location = plain
        #expect(node.location == plain)
        #expect(node.endLocation == end)
        node.endLocation = plain
        #expect(node.endLocation == plain)
        #expect(node == YAMLNode(.scalar(YAMLScalar("x")), location: plain, tag: "!Ref"))
    }

    @Test func equalityAndHashingFollowWhatTheNodeMeans() {
        let here = SourceLocation(file: "a.yaml", line: 1, column: 1)
        let there = SourceLocation(file: "a.yaml", line: 1, column: 2)
        let node = YAMLNode(.scalar(YAMLScalar("x")), location: here, endLocation: there)
        #expect(node == YAMLNode(.scalar(YAMLScalar("x")), location: here, endLocation: there))
        #expect(node != YAMLNode(.scalar(YAMLScalar("x")), location: here, endLocation: here))
        #expect(node != YAMLNode(.scalar(YAMLScalar("y")), location: here, endLocation: there))
        #expect(node != YAMLNode(.scalar(YAMLScalar("x")), location: here, endLocation: there, tag: "!Sub"))
        #expect(Set([node, YAMLNode(.scalar(YAMLScalar("x")), location: here, endLocation: there)]).count == 1)
    }
}

/// The tag lives out of line with any wide positions; setting one must not lose the other.
@Suite struct YAMLNodeExtrasTests {
    static let positions: [(SourceLocation, SourceLocation)] = [
        (SourceLocation(file: "a.yaml", line: 3, column: 7), SourceLocation(file: "a.yaml", line: 3, column: 12)),
        (SourceLocation(file: "a.yaml", line: 1, column: 1), SourceLocation(file: "b.yaml", line: 9, column: 2)),
    ]

    @Test(arguments: 0..<positions.count)
    func tagAndPositionsAreIndependent(index: Int) {
        let (start, end) = Self.positions[index]
        var node = YAMLNode(.scalar(YAMLScalar("x")), location: start, endLocation: end)
        #expect(node.tag == nil)
        node.tag = "!GetAtt"
        #expect(node.tag == "!GetAtt")
        #expect(node.location == start && node.endLocation == end)
        node.tag = nil
        #expect(node.tag == nil)
        #expect(node.location == start && node.endLocation == end)
        node.tag = "!Sub"
        node.endLocation = start
        #expect(node.tag == "!Sub")
        #expect(node.endLocation == start)
        #expect(node == YAMLNode(.scalar(YAMLScalar("x")), location: start, tag: "!Sub"))
    }
}
