/// Why a request was not authenticated. `message` is written for an installer reading a 401 body:
/// it says what was wrong with the credentials, never what the right ones would be.
public struct AuthError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// No credentials, or credentials of a scheme this server does not accept here.
        case missing
        /// Not a well-formed token or header value.
        case malformed
        /// The signature, or the user name and password, did not check out.
        case badSignature
        /// The token's `exp` has passed.
        case expired
        /// The token's `nbf` has not arrived yet.
        case notYetValid
        /// An `alg` this verifier does not accept with its configured key.
        case unsupportedAlgorithm
        /// The token names no tenant `domain` and is not an admin token.
        case noTenant
        /// The configured secret or public key is unusable.
        case badKey
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
