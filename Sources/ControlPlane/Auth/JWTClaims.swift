/// What siprecd takes from a verified JWT's payload.
public struct JWTClaims: Sendable, Equatable {
    /// The tenant (SIP domain) the token is for; nil only for admin tokens.
    public var domain: String?
    /// `"admin": true`: the bearer may act on every tenant.
    public var admin: Bool
    /// `sub`, when present.
    public var subject: String?
    /// `exp`, in seconds since the Unix epoch.
    public var expiresAt: Int64
    /// `iat`, when present.
    public var issuedAt: Int64?

    public init(domain: String?, admin: Bool, subject: String?, expiresAt: Int64, issuedAt: Int64? = nil) {
        self.domain = domain
        self.admin = admin
        self.subject = subject
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
    }
}
