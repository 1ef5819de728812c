import SGDiagnostics

/// Strict UTF-8 validation with the position of the first bad byte, before libyaml sees the text
/// (libyaml reports only a byte offset, and would silently accept UTF-16).
enum EncodingCheck {
    static func firstProblem(in source: SourceFile) -> Diagnostic? {
        let bytes = source.bytes
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return .error(.yamlEncoding, "file is UTF-16 or UTF-32; save it as UTF-8", at: .file(source.path))
        }
        // Nearly every file is valid: check it without tracking lines and columns, eight ASCII
        // bytes at a time, and walk it again with positions only to place a problem.
        if isValidUTF8(bytes) { return nil }
        return locatedProblem(in: source)
    }

    /// True when `bytes` is UTF-8 as `locatedProblem` judges it (no overlong forms, surrogates or
    /// code points past U+10FFFF).
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            let count = buffer.count
            var index = 0
            while index < count {
                if index + 8 <= count {
                    let word = UnsafeRawPointer(buffer.baseAddress! + index).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 == 0 {
                        index += 8
                        continue
                    }
                }
                guard let length = sequenceLength(at: index, in: buffer) else { return false }
                index += length
            }
            return true
        }
    }

    /// The length of the well-formed UTF-8 sequence starting at `index`, or nil when the bytes
    /// there are not one (a stray continuation byte, a truncated sequence, an overlong form, a
    /// surrogate or a code point past U+10FFFF).
    @inline(__always)
    static func sequenceLength<Bytes: RandomAccessCollection>(at index: Int, in bytes: Bytes) -> Int?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        let byte = bytes[index]
        let length: Int
        switch byte {
        case 0x00..<0x80: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return nil
        }
        guard index + length <= bytes.endIndex else { return nil }
        for offset in 1..<length where bytes[index + offset] & 0xC0 != 0x80 { return nil }
        let second = bytes[index + 1]
        if byte == 0xE0, second < 0xA0 { return nil }
        if byte == 0xED, second > 0x9F { return nil }
        if byte == 0xF0, second < 0x90 { return nil }
        if byte == 0xF4, second > 0x8F { return nil }
        return length
    }

    /// The first invalid byte with its line and column, walking the text as libyaml counts
    /// positions (a leading BOM takes no column).
    static func locatedProblem(in source: SourceFile) -> Diagnostic? {
        let bytes = source.bytes
        var index = 0
        var line = 1
        var column = 1
        while index < bytes.count {
            let byte = bytes[index]
            guard let length = sequenceLength(at: index, in: bytes) else {
                let hex = String(byte, radix: 16, uppercase: true)
                return .error(
                    .yamlEncoding, "invalid UTF-8 (byte 0x\(hex.count == 1 ? "0" + hex : hex))",
                    at: SourceLocation(file: source.path, line: line, column: column))
            }
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte == 0x0D {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                line += 1
                column = 1
            } else if !(index == 0 && length == 3 && bytes.starts(with: [0xEF, 0xBB, 0xBF])) {
                column += 1
            }
            index += length
        }
        return nil
    }
}
