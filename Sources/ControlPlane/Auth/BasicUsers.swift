import Signatures

/// The user names and passwords accepted for HTTP Basic authentication.
///
/// Passwords are kept as SHA-256 digests and a candidate is compared digest to digest in constant
/// time, so neither the password's length nor how much of it matched shows in the response time.
/// An unknown user costs the same hash and comparison as a known one.
public struct BasicUsers: Sendable {
    private let digests: [String: [UInt8]]

    /// - Parameter users: password by user name.
    public init(_ users: [String: String]) {
        digests = users.mapValues { Self.digest($0) }
    }

    public var isEmpty: Bool { digests.isEmpty }
    public var count: Int { digests.count }

    /// Whether `password` is the password of `user`.
    public func check(user: String, password: String) -> Bool {
        let candidate = Self.digest(password)
        let known = digests[user]
        // Compare against something even for an unknown user, so both paths do the same work.
        let matches = HMACSHA256.equal(candidate, known ?? Self.unknownUserDigest)
        return known != nil && matches
    }

    public func check(_ credentials: BasicCredentials) -> Bool {
        check(user: credentials.user, password: credentials.password)
    }

    private static func digest(_ password: String) -> [UInt8] {
        Signatures.SHA256.hash(Array(password.utf8))
    }

    private static let unknownUserDigest = [UInt8](repeating: 0, count: 32)
}
