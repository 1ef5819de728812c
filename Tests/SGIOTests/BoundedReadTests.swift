import Foundation
import SGIO
import Testing

/// `BoundedRead`: every input is read with a cap, and every way a read fails says so in words.
@Suite struct BoundedReadTests {
    private func scratch(_ name: String) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sg-bounded-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }

    @Test func aFileAtTheLimitIsReadWholeAndOneByteMoreIsRefused() throws {
        let path = scratch("limit.bin")
        try Data(repeating: 0x61, count: 100).write(to: URL(fileURLWithPath: path))
        #expect(try BoundedRead.file(path, limit: 100).count == 100)
        #expect(throws: BoundedRead.Failure.tooLarge(path: path, limit: 99)) { try BoundedRead.file(path, limit: 99) }
    }

    @Test func anEndlessDeviceStopsAtTheLimitPlusOneByte() throws {
        let started = Date()
        #expect(throws: BoundedRead.Failure.tooLarge(path: "/dev/zero", limit: InputLimits.documentBytes)) {
            try BoundedRead.file("/dev/zero", limit: InputLimits.documentBytes)
        }
        // Not a timing assertion on the tool's speed: a read without a cap never returns at all.
        #expect(Date().timeIntervalSince(started) < 60)
    }

    @Test func aPipeIsReadUpToItsLimit() throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        let text = Array("credentials".utf8)
        _ = text.withUnsafeBytes { write(descriptors[1], $0.baseAddress!, $0.count) }
        close(descriptors[1])
        #expect(try BoundedRead.descriptor(descriptors[0], limit: 64, name: "output of x") == text)
        close(descriptors[0])

        #expect(pipe(&descriptors) == 0)
        _ = text.withUnsafeBytes { write(descriptors[1], $0.baseAddress!, $0.count) }
        close(descriptors[1])
        #expect(throws: BoundedRead.Failure.tooLarge(path: "output of x", limit: 4)) {
            try BoundedRead.descriptor(descriptors[0], limit: 4, name: "output of x")
        }
        close(descriptors[0])
    }

    @Test func failuresNameThePathAndWhatIsWrongInPlainWords() throws {
        let missing = scratch("missing.yaml")
        #expect(throws: BoundedRead.Failure.notFound(path: missing)) { try BoundedRead.file(missing, limit: 10) }
        let directory = (missing as NSString).deletingLastPathComponent
        #expect(throws: BoundedRead.Failure.isDirectory(path: directory)) { try BoundedRead.file(directory, limit: 10) }
        #expect(BoundedRead.Failure.tooLarge(path: "a.yaml", limit: 16 << 20).description
            == "cannot read a.yaml: is larger than 16 MiB, the limit for this input")
        #expect(BoundedRead.Failure.isDirectory(path: "configs").description == "cannot read configs: is a directory, not a file")
        if getuid() != 0 {
            let locked = scratch("locked.yaml")
            try Data("x".utf8).write(to: URL(fileURLWithPath: locked))
            chmod(locked, 0)
            #expect(throws: BoundedRead.Failure.permissionDenied(path: locked)) { try BoundedRead.file(locked, limit: 10) }
        }
    }
}
