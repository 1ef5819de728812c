import SGDiagnostics
import Testing

/// `SourceLocation` stores its file as an interned `SourcePath`; what a location means (its
/// text, equality, hashing and order) must be what it was with a `String` path.
@Suite struct SourceLocationTests {
    @Test func equalPathsInternToEqualValuesAndReadBack() {
        let paths = ["scenarios/bench-t1000.yaml", "a.yaml", "", "aws:sg-0123456789abcdef0", "dir/ü.yaml"]
        for path in paths {
            #expect(SourcePath(path) == SourcePath(String(decoding: Array(path.utf8), as: UTF8.self)))
            #expect(SourcePath(path).string == path)
            #expect(SourceLocation(file: path, line: 2, column: 3).file == path)
        }
        #expect(SourcePath("a.yaml") != SourcePath("b.yaml"))
    }

    @Test func initialisersAgreeAndFileIsSettable() {
        let path = SourcePath("configs/x.yaml")
        #expect(SourceLocation(path: path, line: 4, column: 9) == SourceLocation(file: "configs/x.yaml", line: 4, column: 9))
        var location = SourceLocation(file: "configs/x.yaml", line: 4, column: 9)
        location.file = "scenarios/y.yaml"
        #expect(location.description == "scenarios/y.yaml:4:9")
        #expect(location.path == SourcePath("scenarios/y.yaml"))
        #expect(SourceLocation.file("z.yaml").description == "z.yaml:1:1")
    }

    /// Order is (file as text, line, column), whatever order the paths were interned in.
    static let orderCases: [(String, Int, Int, String, Int, Int, Bool)] = [
        ("zz-interned-first.yaml", 1, 1, "aa-interned-second.yaml", 9, 9, false),
        ("aa-interned-second.yaml", 9, 9, "zz-interned-first.yaml", 1, 1, true),
        ("m.yaml", 3, 7, "m.yaml", 3, 8, true),
        ("m.yaml", 3, 8, "m.yaml", 3, 7, false),
        ("m.yaml", 2, 99, "m.yaml", 3, 1, true),
        ("m.yaml", 3, 7, "m.yaml", 3, 7, false),
    ]

    @Test(arguments: 0..<orderCases.count)
    func orderIsFileLineColumn(index: Int) {
        let (leftFile, leftLine, leftColumn, rightFile, rightLine, rightColumn, less) = Self.orderCases[index]
        let left = SourceLocation(file: leftFile, line: leftLine, column: leftColumn)
        let right = SourceLocation(file: rightFile, line: rightLine, column: rightColumn)
        #expect((left < right) == less)
        #expect((left < right) == ((leftFile, leftLine, leftColumn) < (rightFile, rightLine, rightColumn)))
    }

    @Test func hashingFollowsEquality() {
        let locations = [
            SourceLocation(file: "a.yaml", line: 1, column: 1), SourceLocation(file: "a.yaml", line: 1, column: 1),
            SourceLocation(file: "a.yaml", line: 1, column: 2), SourceLocation(file: "b.yaml", line: 1, column: 1),
        ]
        #expect(Set(locations).count == 3)
    }
}
