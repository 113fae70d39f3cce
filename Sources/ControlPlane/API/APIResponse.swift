import JSON
import NIOHTTP1

/// A response the router produces: a JSON or text body, or a file to stream.
public struct APIResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        case file(path: String, size: Int64)
        /// Server-Sent Events: each element is sent as one `data:` event until the client goes away.
        case events(AsyncStream<String>)
    }

    public var status: HTTPResponseStatus
    public var contentType: String
    public var body: Body
    public var extraHeaders: [(String, String)] = []

    public static func json(_ value: JSONValue, status: HTTPResponseStatus = .ok) -> APIResponse {
        APIResponse(status: status, contentType: "application/json", body: .bytes(Array((value.serialized() + "\n").utf8)))
    }

    /// An error body that says what was wrong: `{"error": "...", "status": 404}`.
    public static func error(_ status: HTTPResponseStatus, _ message: String) -> APIResponse {
        json(.object([("error", .string(message)), ("status", .int(Int64(status.code)))]), status: status)
    }

    public static func text(_ text: String, contentType: String = "text/plain; charset=utf-8") -> APIResponse {
        APIResponse(status: .ok, contentType: contentType, body: .bytes(Array(text.utf8)))
    }
}
