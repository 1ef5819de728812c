/// Where the template writers put their text: UTF-8 bytes for rendering, or a byte counter for
/// sizing. Both writers are generic over the sink, so a stack's size is measured by the very code
/// that renders it (never an estimate that could drift from the output) without building the text.
protocol TemplateTextSink {
    /// Appends the UTF-8 bytes of `text`.
    mutating func write(_ text: String)
    /// Appends one ASCII byte.
    mutating func write(byte: UInt8)
    /// Appends `count` spaces (indentation).
    mutating func writeSpaces(_ count: Int)
}

/// Collects rendered text as UTF-8 bytes; one `String` is made at the end instead of one per
/// fragment, which is where the old string-concatenating writers spent their time.
struct TemplateByteSink: TemplateTextSink {
    var bytes: [UInt8] = []

    mutating func write(_ text: String) {
        var text = text
        // Native strings hand out their UTF-8 storage directly: one memcpy, no per-character work.
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func write(byte: UInt8) { bytes.append(byte) }

    mutating func writeSpaces(_ count: Int) {
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
    }

    /// The text collected so far.
    var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Counts the bytes a rendering would have; allocates nothing (`utf8.count` is O(1) on native strings).
struct TemplateByteCounter: TemplateTextSink {
    var count = 0

    mutating func write(_ text: String) { count += text.utf8.count }
    mutating func write(byte: UInt8) { count += 1 }
    mutating func writeSpaces(_ count: Int) { self.count += count }
}
