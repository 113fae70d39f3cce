#if canImport(Glibc)
import Glibc
#endif

/// An error opening or reading a capture source.
public struct CaptureError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable { case socket, bind, exhausted }
    public var code: Code
    public var message: String
    public var description: String { message }

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    static func errno(_ code: Code, _ what: String) -> CaptureError {
        CaptureError(code: code, message: "\(what): \(String(cString: strerror(Glibc.errno)))")
    }
}

/// Monotonic clock in nanoseconds (CLOCK_MONOTONIC), the time base of every recording timeline.
@inline(__always)
public func monotonicNanos() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}
