/// The `[api]` section: the HTTP API.
public struct APISettings: Sendable, Equatable {
    /// Address the HTTP API listens on. Default: `127.0.0.1:8080`.
    public var listen: HostPort
    /// Authentication mode: `none`, `basic` or `jwt`. Default: `none`.
    public var auth: String
    /// HS256 secret (at least 32 bytes) for `jwt` authentication. Default: none.
    public var jwtSecret: String?
    /// PEM file with the RSA (RS256) or P-256 (ES256) public key for `jwt` authentication. Default: none.
    public var jwtPublicKeyFile: String?
    /// User name to password for HTTP Basic: the device API under `jwt`, every endpoint under `basic`.
    /// Default: empty.
    public var basicUsers: [String: String]
    /// Unix socket where the same API answers local operator commands (`siprecd status`, `calls`, …)
    /// without credentials: file permissions (0660, the daemon's group) decide who may connect.
    /// Empty: `<dataDir>/control.sock`; `none`: no control socket. Default: empty.
    public var controlSocket = ""
    /// How long a REST start for a call key not seen yet is held for its call (0: answered 404). Default: 30 s.
    public var pendingStart: Duration
    /// A new connection must deliver a complete request (head and body) within this; so must every request
    /// once its head has begun. Default: 10 s.
    public var headerTimeout: Duration = .seconds(10)
    /// A keep-alive connection with no request in progress is closed after this; so is one whose client has
    /// read nothing of a response for this long (a slow reader that keeps reading is never cut). Default: 60 s.
    public var idleTimeout: Duration = .seconds(60)
    /// Open API connections (TCP and control socket each). At the limit a new connection closes the one
    /// that has waited longest for its request; when every connection is busy it is answered 503. Default: 256.
    public var maxConnections = 256
    /// Whether `/metrics` answers without credentials while authentication is on. Its figures are box-wide
    /// (every tenant's calls), so by default it wants an admin token or an admin Basic user. Default: false.
    public var publicMetrics = false

    /// The values ``maxConnections`` may take.
    public static let maxConnectionsRange = 4...65_536
    /// The values ``headerTimeout`` and ``idleTimeout`` may take.
    public static let timeoutRange: ClosedRange<Duration> = .seconds(1)...(.seconds(3_600))

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

extension SiprecdConfig {
    /// Where the control socket is (``APISettings/controlSocket`` resolved against the data directory),
    /// or nil when it is turned off.
    public var controlSocketPath: String? {
        switch api.controlSocket {
        case "none": return nil
        case "": return "\(storage.dataDir)/control.sock"
        default: return api.controlSocket
        }
    }
}
