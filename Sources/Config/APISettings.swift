/// The `[api]` section: the HTTP API.
public struct APISettings: Sendable, Equatable {
    /// Address the HTTP API listens on. Default: `127.0.0.1:8080`.
    public var listen: HostPort
    /// Authentication mode: `none`, `basic` or `jwt`. Default: `none`.
    public var auth: String
    /// Shared secret for `jwt` authentication (reserved for a later release). Default: none.
    public var jwtSecret: String?
    /// User name to password for `basic` authentication (reserved for a later release). Default: empty.
    public var basicUsers: [String: String]
    /// How long a call may wait for an API "start" decision (reserved for a later release). Default: 30 s.
    public var pendingStart: Duration

    /// The values ``auth`` may take.
    public static let authModes = ["none", "basic", "jwt"]

    /// Creates API settings; every argument defaults to the documented default.
    public init(
        listen: HostPort = HostPort(host: "127.0.0.1", port: 8_080),
        auth: String = "none",
        jwtSecret: String? = nil,
        basicUsers: [String: String] = [:],
        pendingStart: Duration = .seconds(30)
    ) {
        self.listen = listen
        self.auth = auth
        self.jwtSecret = jwtSecret
        self.basicUsers = basicUsers
        self.pendingStart = pendingStart
    }
}
