import Signatures
/// A user name and password from HTTP Basic authentication (RFC 7617).
public struct BasicCredentials: Sendable, Equatable {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    /// Parses a whole `Authorization` header value, "Basic <base64(user:password)>"; the scheme name
    /// is case-insensitive.
    public init(authorization: String) throws(AuthError) {
        guard let (scheme, credentials) = AuthorizationHeader.split(authorization),
              AuthorizationHeader.lowercased(scheme) == "basic" else {
            throw AuthError(.malformed, "expected \"Basic <base64 of user:password>\"")
        }
        try self.init(token: credentials)
    }

    /// Parses the credentials after "Basic ": standard base64 (not base64url) of "user:password",
    /// UTF-8. The user name ends at the first ':'; the password may contain ':'.
    public init(token: some StringProtocol) throws(AuthError) {
        guard let decoded = StandardBase64.decode(token) else {
            throw AuthError(.malformed, "the Basic credentials are not valid base64")
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw AuthError(.malformed, "the Basic credentials are not UTF-8")
        }
        guard let colon = text.firstIndex(of: ":") else {
            throw AuthError(.malformed, "the Basic credentials must be base64 of \"user:password\"; there is no ':'")
        }
        let user = String(text[..<colon])
        guard !user.isEmpty else {
            throw AuthError(.malformed, "the Basic credentials have an empty user name")
        }
        self.init(user: user, password: String(text[text.index(after: colon)...]))
    }
}
