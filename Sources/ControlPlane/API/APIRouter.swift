import RecordingModel
import JSON
import NIOHTTP1

/// Maps requests to handlers. Paths and field names follow the product's API (docs/api.md): the
/// recordings API, the device API of reference 000 and the cloud commands of reference 001.
public struct APIRouter: Sendable {
    let backend: APIBackend
    /// nil: authentication is off (`auth = "none"`, loopback only).
    let authenticator: RequestAuthenticator?
    /// `[api] publicMetrics`: `/metrics` answers callers without admin credentials too.
    let publicMetrics: Bool

    public init(backend: APIBackend, authenticator: RequestAuthenticator? = nil, publicMetrics: Bool = false) {
        self.backend = backend
        self.authenticator = authenticator
        self.publicMetrics = publicMetrics
    }

    /// Every route the router answers, as OpenAPI path templates (kept in step with docs/openapi.json by a test).
    static let routes: [(method: String, path: String)] = [
        ("get", "/healthz"), ("get", "/metrics"), ("get", "/openapi.json"), ("get", "/api/v1/events"), ("get", "/api/v1/status"), ("get", "/api/v1/recordings"),
        ("get", "/api/v1/recordings/{recordingId}"), ("get", "/api/v1/recordings/{recordingId}/audio"),
        ("post", "/api/v1/sip/sipRecording"),
        ("post", "/api/v1/recordings/{recordingId}/{action}"), ("post", "/api/v1/calls/{callKey}/{action}"),
        ("post", "/{domain}/stoprecording"), ("options", "/{domain}/stoprecording"),
        ("post", "/{domain}/cancelrecording"), ("options", "/{domain}/cancelrecording"),
        ("post", "/{domain}/deleterecording"), ("options", "/{domain}/deleterecording"),
        ("post", "/{domain}/storerecording"), ("options", "/{domain}/storerecording"),
        ("post", "/{domain}/mergerecordings"), ("options", "/{domain}/mergerecordings"),
        ("post", "/api/v1/{domain}/stoprecording"), ("post", "/api/v1/{domain}/cancelrecording"),
        ("post", "/api/v1/{domain}/storerecording"), ("post", "/api/v1/{domain}/deleterecording"),
        ("post", "/api/v1/{domain}/mergerecordings"),
    ]

    /// Paths that answer without credentials (what they show then is limited: see ``view(of:credentialed:query:)``).
    static func isPublic(_ segments: [String]) -> Bool {
        segments == ["healthz"] || segments == ["metrics"] || segments == ["openapi.json"]
    }

    public func route(_ request: APIRequest) async -> APIResponse {
        let (path, query) = APIRouter.split(request.uri)
        let segments = path.split(separator: "/").map { APIRouter.percentDecoded(String($0)) }
        var caller = request.local ? APICaller.local : APICaller.anonymous
        // Who may see box-wide figures: the control socket, `auth = "none"`, or a caller whose credentials passed.
        var credentialed = authenticator == nil || request.local
        if let authenticator, !request.local, request.method != .OPTIONS,
           !APIRouter.isPublic(segments) || request.authorization != nil {
            let deviceAPI = segments == ["api", "v1", "sip", "sipRecording"]
            switch authenticator.authenticate(authorization: request.authorization, allowBasic: deviceAPI) {
            case .success(let who):
                caller = who
                credentialed = true
            case .failure(let failure):
                // A health check or an API-description fetch with stale or other credentials (an SBC that
                // sends Basic everywhere, a monitor's expired token) is answered as one without them.
                guard APIRouter.isPublic(segments), segments != ["metrics"], query["domain"] == nil else {
                    return APIRouter.unauthorized(failure.message, basic: deviceAPI)
                }
            }
        }
        var view = APIView.device
        if request.method == .GET {
            switch APIRouter.view(of: caller, credentialed: credentialed, query: query) {
            case .seen(let seen):
                view = seen
                // Every read below is limited to the view's tenant.
                caller.domain = seen.domain
            case .refused(let refusal):
                return refusal
            }
        }
        do {
            switch (request.method, segments.count, segments.first) {
            case (.GET, 1, "healthz"):
                let (healthy, body) = await backend.health(view: view)
                return .json(body, status: healthy ? .ok : .serviceUnavailable)
            case (.GET, 1, "openapi.json"):
                return .text(OpenAPIDocument.json, contentType: "application/json")
            case (.GET, 3, "api") where segments[1] == "v1" && segments[2] == "status":
                return .json(await backend.status(view: view))
            case (.GET, 1, "metrics"):
                if let refusal = metricsRefusal(view, asked: query["domain"]) { return refusal }
                return .text(await backend.metrics(), contentType: "text/plain; version=0.0.4")
            case (.GET, 3, "api") where segments[1] == "v1" && segments[2] == "events":
                return APIResponse(status: .ok, contentType: "text/event-stream",
                                   body: .events(backend.events.subscribe(domain: caller.domain)))
            case (.GET, 3, "api") where segments[1] == "v1" && segments[2] == "recordings":
                return try await list(query: query, caller: caller)
            case (.GET, 4, "api") where segments[1] == "v1" && segments[2] == "recordings":
                guard let record = try await backend.recording(id: segments[3], domain: caller.domain) else {
                    return .error(.notFound, "no recording with id '\(segments[3])'")
                }
                return .json(RecordingJSON.encode(record, replyId: backend.replyId(for: record)))
            case (.GET, 5, "api") where segments[1] == "v1" && segments[2] == "recordings" && segments[4] == "audio":
                return try await audio(id: segments[3], format: query["format"] ?? "mp3", caller: caller)
            case (.POST, 4, "api") where segments[1] == "v1" && segments[2] == "sip" && segments[3] == "sipRecording":
                return await sipRecording(request.body, caller: caller, receivedNanos: request.receivedNanos)
            case (.POST, 5, "api") where segments[1] == "v1" && (segments[2] == "recordings" || segments[2] == "calls"):
                return await control(target: segments[2], key: segments[3], action: segments[4], body: request.body, caller: caller,
                                     receivedNanos: request.receivedNanos)
            case (.POST, 4, "api") where segments[1] == "v1" && CloudCommand.Kind(path: segments[3]) != nil:
                // The cloud commands again under /api/v1, next to the rest of the API.
                return await cloud(domain: segments[2], kind: CloudCommand.Kind(path: segments[3])!, body: request.body, caller: caller,
                                   receivedNanos: request.receivedNanos)
            case (.POST, 2, _) where CloudCommand.Kind(path: segments[1]) != nil:
                return await cloud(domain: segments[0], kind: CloudCommand.Kind(path: segments[1])!, body: request.body, caller: caller,
                                   receivedNanos: request.receivedNanos)
            case (.OPTIONS, 2, _) where CloudCommand.Kind(path: segments[1]) != nil:
                var response = APIResponse.json(.object([]))
                response.extraHeaders = [("Allow", "POST, OPTIONS")]
                return response
            case (_, _, _) where APIRouter.knownPath(segments):
                return .error(.methodNotAllowed, "\(request.method.rawValue) is not allowed on \(path)")
            default:
                return .error(.notFound, "no such endpoint: \(path)")
            }
        } catch {
            return .error(.internalServerError, "catalog error: \(error)")
        }
    }

    enum ViewDecision {
        case seen(APIView)
        case refused(APIResponse)
    }

    /// Whose data a GET shows. `?domain=` narrows an admin's (or the control socket's) view to one tenant,
    /// to see what that tenant sees; a tenant token is always confined to its own domain and is refused
    /// another's.
    static func view(of caller: APICaller, credentialed: Bool, query: [String: String]) -> ViewDecision {
        let asked = query["domain"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
        if let asked, asked.utf8.count > 253 || asked.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || $0 == "/" }) {
            return .refused(.error(.badRequest, "?domain= must be a domain name (at most 253 characters, no spaces or controls)"))
        }
        guard credentialed else {
            if asked != nil { return .refused(unauthorized("reading one tenant's data needs credentials", basic: false)) }
            return .seen(.anonymous)
        }
        if let own = caller.domain?.lowercased() {
            if let asked, asked != own {
                return .refused(.error(.forbidden, "this token is for domain '\(own)': it cannot read domain '\(asked)'"))
            }
            return .seen(.tenant(own))
        }
        return .seen(asked.map(APIView.tenant) ?? .device)
    }

    /// `/metrics` is box-wide: for admin callers, or anyone with `[api] publicMetrics`; never narrowed to a tenant.
    func metricsRefusal(_ view: APIView, asked: String?) -> APIResponse? {
        if let asked, !asked.isEmpty {
            return .error(.badRequest, "/metrics is box-wide and cannot be narrowed to a tenant: remove ?domain=")
        }
        switch view {
        case .device: return nil
        case _ where publicMetrics: return nil
        case .tenant(let domain):
            return .error(.forbidden, "/metrics holds every tenant's figures: it needs an admin credential, not a token for domain '\(domain)'")
        case .anonymous:
            return APIRouter.unauthorized("/metrics holds every tenant's figures: it needs an admin credential (or [api] publicMetrics = true)", basic: false)
        }
    }

    static func unauthorized(_ message: String, basic: Bool) -> APIResponse {
        var response = APIResponse.error(.unauthorized, message)
        response.extraHeaders = [("WWW-Authenticate", basic ? "Basic realm=\"siprecd\", Bearer" : "Bearer")]
        return response
    }

    static func knownPath(_ segments: [String]) -> Bool {
        isPublic(segments) || (segments.count >= 3 && segments[0] == "api")
            || (segments.count == 2 && CloudCommand.Kind(path: segments[1]) != nil)
    }

    /// Path and decoded query parameters.
    static func split(_ uri: String) -> (String, [String: String]) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, [:]) }
        var query: [String: String] = [:]
        for pair in uri[uri.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            query[percentDecoded(parts[0])] = parts.count > 1 ? percentDecoded(parts[1]) : ""
        }
        return (String(uri[..<mark]), query)
    }

    /// `%XX` decoded (invalid escapes are kept as they are).
    static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.first {
            utf8 = utf8.dropFirst()
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
