import Catalog
import JSON
import NIOHTTP1

/// Maps requests to handlers. Paths and field names follow the product's API (docs/api.md).
public struct APIRouter: Sendable {
    let backend: APIBackend

    public init(backend: APIBackend) { self.backend = backend }

    /// Every route the router answers, as OpenAPI path templates (kept in step with docs/openapi.json by a test).
    static let routes: [(method: String, path: String)] = [
        ("get", "/healthz"), ("get", "/metrics"), ("get", "/openapi.json"), ("get", "/api/v1/events"), ("get", "/api/v1/recordings"),
        ("get", "/api/v1/recordings/{recordingId}"), ("get", "/api/v1/recordings/{recordingId}/audio"),
    ]

    public func route(method: HTTPMethod, uri: String) async -> APIResponse {
        let (path, query) = APIRouter.split(uri)
        let segments = path.split(separator: "/").map(String.init)
        do {
            switch (method, segments.count, segments.first) {
            case (.GET, 1, "healthz"):
                let (healthy, body) = await backend.health()
                return .json(body, status: healthy ? .ok : .serviceUnavailable)
            case (.GET, 1, "openapi.json"):
                return .text(OpenAPIDocument.json, contentType: "application/json")
            case (.GET, 1, "metrics"):
                return .text(await backend.metrics(), contentType: "text/plain; version=0.0.4")
            case (.GET, 3, "api") where segments[1] == "v1" && segments[2] == "events":
                return APIResponse(status: .ok, contentType: "text/event-stream", body: .events(backend.events.subscribe()))
            case (.GET, 3, "api") where segments[1] == "v1" && segments[2] == "recordings":
                return try await list(query: query)
            case (.GET, 4, "api") where segments[1] == "v1" && segments[2] == "recordings":
                guard let record = try await backend.recording(id: segments[3]) else {
                    return .error(.notFound, "no recording with id '\(segments[3])'")
                }
                return .json(RecordingJSON.encode(record))
            case (.GET, 5, "api") where segments[1] == "v1" && segments[2] == "recordings" && segments[4] == "audio":
                return try await audio(id: segments[3], format: query["format"] ?? "mp3")
            case (_, _, _) where APIRouter.knownPath(segments):
                return .error(.methodNotAllowed, "\(method.rawValue) is not allowed on \(path)")
            default:
                return .error(.notFound, "no such endpoint: \(path)")
            }
        } catch {
            return .error(.internalServerError, "catalog error: \(error)")
        }
    }

    func list(query: [String: String]) async throws -> APIResponse {
        let limit = Int(query["limit"] ?? "100") ?? -1
        let offset = Int(query["offset"] ?? "0") ?? -1
        guard (1...1000).contains(limit) else { return .error(.badRequest, "limit must be a whole number from 1 to 1000") }
        guard offset >= 0 else { return .error(.badRequest, "offset must be a whole number ≥ 0") }
        let records = try await backend.recordings(limit: limit, offset: offset, state: query["state"])
        return .json(.object([("recordings", .array(records.map(RecordingJSON.encode)))]))
    }

    func audio(id: String, format: String) async throws -> APIResponse {
        guard format == "mp3" || format == "wav" else {
            return .error(.badRequest, "format must be mp3 or wav, not '\(format)'")
        }
        guard let record = try await backend.recording(id: id) else {
            return .error(.notFound, "no recording with id '\(id)'")
        }
        guard record.endTime != nil else {
            return .error(.conflict, "recording \(id) is still \(record.state); audio is available once it is ready")
        }
        guard let relative = format == "mp3" ? record.mp3Path : record.masterPath else {
            return .error(.gone, "recording \(id) has no \(format) file (state \(record.state))")
        }
        let path = "\(backend.dataDir)/\(relative)"
        guard let size = FileReader.size(of: path) else {
            return .error(.gone, "the \(format) file of recording \(id) is missing on disk")
        }
        var response = APIResponse(status: .ok, contentType: format == "mp3" ? "audio/mpeg" : "audio/wav",
                                   body: .file(path: path, size: size))
        response.extraHeaders = [("Content-Disposition", "attachment; filename=\"\(id).\(format)\"")]
        return response
    }

    static func knownPath(_ segments: [String]) -> Bool {
        segments == ["healthz"] || segments == ["metrics"] || segments == ["openapi.json"] || (segments.count >= 3 && segments[0] == "api")
    }

    /// Path and decoded query parameters.
    static func split(_ uri: String) -> (String, [String: String]) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, [:]) }
        var query: [String: String] = [:]
        for pair in uri[uri.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            query[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return (String(uri[..<mark]), query)
    }
}
