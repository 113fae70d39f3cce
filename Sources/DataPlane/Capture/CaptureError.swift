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
