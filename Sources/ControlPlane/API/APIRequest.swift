import NIOCore
import NIOHTTP1

/// One HTTP request as the router sees it.
public struct APIRequest: Sendable {
    public var method: HTTPMethod
    public var uri: String
    /// The `Authorization` header, if any.
    public var authorization: String?
    /// The body as text (bodies are JSON; their size is capped by the server).
    public var body: String
    /// Came over the control socket: an operator on the box, who needs no credentials.
    public var local: Bool
    /// When the whole request had been read (CLOCK_MONOTONIC ns): a pause or stop it asks for falls
    /// there on the recording's timeline, against the RTP's arrival times.
    public var receivedNanos: Int64

    public init(method: HTTPMethod, uri: String, authorization: String? = nil, body: String = "", local: Bool = false,
                receivedNanos: Int64 = Int64(NIODeadline.now().uptimeNanoseconds)) {
        self.method = method
        self.uri = uri
        self.authorization = authorization
        self.body = body
        self.local = local
        self.receivedNanos = receivedNanos
    }
}

/// Who made a request: a user or token, and the one tenant it may see (nil: every tenant).
public struct APICaller: Sendable, Equatable {
    public var name: String
    public var domain: String?

    public init(name: String, domain: String?) {
        self.name = name
        self.domain = domain
    }

    /// The caller when authentication is off (`auth = "none"`, loopback only).
    public static let anonymous = APICaller(name: "anonymous", domain: nil)

    /// The caller on the control socket (every tenant).
    public static let local = APICaller(name: "local", domain: nil)
}

/// Decides who a request comes from. `allowBasic` is true for the device API, where SBCs send HTTP
/// Basic credentials.
public protocol RequestAuthenticator: Sendable {
    func authenticate(authorization: String?, allowBasic: Bool) -> Result<APICaller, AuthenticationFailure>
}

/// Why a request was not authenticated (answered 401 with the message).
public struct AuthenticationFailure: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// Whose data a read shows. Box-wide figures (every tenant's calls, capture drops, refused sources, the
/// log's problems) are for admin callers, the control socket and `auth = "none"`; a tenant sees only its
/// own calls and problems; a caller without credentials on a public path sees only whether the box is up.
public enum APIView: Sendable, Equatable {
    case device
    case tenant(String)
    case anonymous

    /// The tenant reads are limited to (nil: every tenant).
    public var domain: String? {
        if case .tenant(let domain) = self { return domain }
        return nil
    }
}
