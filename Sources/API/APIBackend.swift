import Catalog
import JSON

/// What the REST API reads from the rest of siprecd. Implementations never block the caller's thread
/// on SQLite: they hop to the catalog worker.
public protocol APIBackend: Sendable {
    /// Recordings, newest first.
    func recordings(limit: Int, offset: Int, state: String?) async throws -> [RecordingRecord]
    func recording(id: String) async throws -> RecordingRecord?
    /// The data directory that recording file paths are relative to.
    var dataDir: String { get }
    /// Health document; `healthy` false gives 503.
    func health() async -> (healthy: Bool, body: JSONValue)
    /// Prometheus text exposition.
    func metrics() async -> String
    /// The live event stream.
    var events: EventBroadcaster { get }
}
