#if canImport(Glibc)
import Glibc
#endif

/// A failed system call's errno, as a typed error: its text is the system's own (`strerror`).
public struct Errno: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    public var code: Int32

    public init(_ code: Int32) { self.code = code }

    /// The calling thread's errno now (read right after the failing call).
    public static var current: Errno { Errno(Glibc.errno) }

    public static let interrupted = Errno(EINTR)
    public static let wouldBlock = Errno(EAGAIN)
    public static let noMemory = Errno(ENOMEM)
    public static let tooManyOpenFiles = Errno(EMFILE)

    public var description: String { String(cString: strerror(code)) }
}
