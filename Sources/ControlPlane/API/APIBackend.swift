import JSON
import RecordingModel

/// What the REST API reads from and asks of the rest of siprecd. Implementations never block the
/// caller's thread on SQLite: they hop to the catalog worker. `caller.domain` limits every call to one
/// tenant (nil: every tenant); another tenant's recordings are "not found".
public protocol APIBackend: Sendable {
    /// Recordings, newest first, matching every filter given (state, call key, the recorded call's
    /// original Call-ID or UCID).
    func recordings(limit: Int, offset: Int, filter: RecordingFilter, domain: String?) async throws -> [RecordingRecord]
    func recording(id: String, domain: String?) async throws -> RecordingRecord?
    /// The data directory that recording file paths are relative to.
    var dataDir: String { get }
    /// Health document as `view` may see it; `healthy` false gives 503.
    func health(view: APIView) async -> (healthy: Bool, body: JSONValue)
    /// What `siprecd status` shows: the health document plus capture drops and the last warnings and
    /// errors logged (these may name calls, so unlike /healthz it needs credentials). A tenant's view
    /// holds its own calls and problems only.
    func status(view: APIView) async -> JSONValue
    /// Prometheus text exposition.
    func metrics() async -> String
    /// The live event stream.
    var events: EventBroadcaster { get }
    /// The replyId siprecd issued for a recording (what its events carry).
    func replyId(for record: RecordingRecord) -> String
    /// The device API (reference 000): start or stop by call key.
    func sipRecording(_ command: SipRecordingCommand, caller: APICaller) async -> APIResponse
    /// Runtime control of a recording in progress, by id or by call key.
    func control(_ command: ControlCommand, recordingId: String?, callKey: String?, caller: APICaller) async -> APIResponse
    /// STOPRECORDING / CANCELRECORDING (reference 001), checked against their replyId.
    func cloud(_ command: CloudCommand, domain: String, caller: APICaller) async -> APIResponse
}
