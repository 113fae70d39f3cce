#if canImport(Glibc)
import Glibc
#endif

/// A failed system call's errno, as a typed error: its text is the system's own (`strerror`).
public struct Errno: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    public var code: Int32

    @inlinable
    public init(_ code: Int32) { self.code = code }

    /// The calling thread's errno now (read right after the failing call).
    @inlinable
    public static var current: Errno { Errno(Glibc.errno) }

    @inlinable public static var interrupted: Errno { Errno(EINTR) }
    @inlinable public static var wouldBlock: Errno { Errno(EAGAIN) }

    public var description: String { String(cString: strerror(code)) }
}
