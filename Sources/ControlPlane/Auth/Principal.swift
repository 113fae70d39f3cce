import RecordingModel

/// Who made an authenticated request, and which tenant it may act on.
public struct Principal: Sendable, Equatable {
    /// The token's `sub` (or "jwt"), or the Basic user name.
    public var name: String
    /// The tenant (SIP domain) the principal is confined to; nil means every tenant.
    public var domain: String?

    public init(name: String, domain: String?) {
        self.name = name
        self.domain = domain
    }

    /// Whether the principal may act on every tenant.
    public var isAdmin: Bool { domain == nil }

    /// Whether the principal may act on `tenant` (domain names compare case-insensitively).
    public func mayAccess(domain tenant: String) -> Bool {
        Tenant.allows(domain, tenant)
    }
}
