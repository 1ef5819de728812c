#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// stdout or stderr written with `write(2)`, surviving a reader that went away.
///
/// `sg-provisioner ... | head -1` closes the pipe while the tool still prints. With SIGPIPE
/// ignored (`ignoreBrokenPipeSignal`), the next write fails with EPIPE: the stream then stops
/// printing and stays quiet, and the run goes on to finish its audit log and exit with its
/// verdict's code. (Foundation's `FileHandle.write` would trap on that error.)
public final class StandardStream: Sendable {
    private let descriptor: Int32
    private let closed = Atomic<Bool>(false)
    // One writer at a time, so concurrent units never interleave inside one piece of text.
    private let lock = Mutex<Void>(())

    /// Standard output.
    public static let output = StandardStream(descriptor: 1)
    /// Standard error.
    public static let error = StandardStream(descriptor: 2)

    /// A stream over a descriptor the caller owns.
    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// True once a write found the reader gone (EPIPE) or the descriptor unusable.
    public var isClosed: Bool { closed.load(ordering: .relaxed) }

    /// Writes all of `text`, or nothing more once the stream is closed.
    public func write(_ text: String) {
        guard !isClosed else { return }
        lock.withLock { _ in
            var text = text
            text.withUTF8 { buffer in
                var offset = 0
                while offset < buffer.count {
                    #if canImport(Glibc)
                    let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    #else
                    let written = Darwin.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    #endif
                    if written < 0 {
                        if errno == EINTR || errno == EAGAIN { continue }
                        // EPIPE, EBADF (closed with >&-), EIO: nobody reads any more.
                        closed.store(true, ordering: .relaxed)
                        return
                    }
                    offset += written
                }
            }
        }
    }

    /// Ignores SIGPIPE for the process, so a closed pipe is an EPIPE error the streams handle
    /// instead of a silent death (exit 141) before the audit log is written.
    public static func ignoreBrokenPipeSignal() {
        signal(SIGPIPE, SIG_IGN)
    }
}
