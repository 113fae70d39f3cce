#if canImport(Glibc)
import Glibc
#endif

/// The operating system would not give a new stream its buffers (mmap or calloc failed: the box is out of
/// memory or address space). Call setup refuses the call with it instead of stopping the daemon.
public struct MemoryExhausted: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the memory was for: "stream ring", "decode queue".
    public var purpose: String
    public var bytes: Int
    public var errno: Int32

    public init(purpose: String, bytes: Int, errno: Int32) {
        self.purpose = purpose
        self.bytes = bytes
        self.errno = errno
    }

    public var description: String {
        "out of memory: cannot map a \(bytes)-byte \(purpose) (\(String(cString: strerror(errno))))"
    }
}
