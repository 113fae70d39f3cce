import RecordingModel

/// What the recorder reports to status, health, metrics and systemd: live counts for the whole box or
/// one tenant, and the gauges of the resources calls need. Read on the control loop.
public struct RecorderFigures: Sendable {
    /// Recordings in progress, counting those whose files are closing.
    public var active = 0
    /// Live recording sessions, and those of them with no recording (waiting for a REST start or a decision).
    public var sessions = 0
    public var waiting = 0
    /// Device API starts held for a call key no live call has yet (box-wide only).
    public var heldStarts = 0
    /// The data disk's free bytes (-1: unknown), whether that is below `minFree` (box-wide only but `lowDisk`).
    public var freeBytes: Int64 = -1
    public var lowDisk = false
    public var minFree: Int64 = 0
    /// Calls refused because the box ran out of something a call needs, by resource (box-wide only).
    public var exhausted: [CallSetupResource: Int] = [:]
    /// Recordings started in the last minute (box-wide only).
    public var startedLastMinute = 0

    public init() {}
}

extension RecorderFigures {
    /// The figures of the whole box (`domain` nil) or of one tenant's sessions and recordings, read on the
    /// service's event loop.
    public init(_ service: RecordingService, domain: String? = nil) {
        self.init()
        lowDisk = service.temporaryStore.lowDisk
        guard let domain else {
            active = service.activeCount
            sessions = service.sessions.count
            waiting = service.sessions.values.count { $0.current == nil }
            heldStarts = service.commands.heldStarts.count
            freeBytes = service.temporaryStore.freeBytes
            minFree = service.settings.minFree
            exhausted = service.exhausted
            startedLastMinute = service.starts.lastMinute()
            return
        }
        let mine = service.sessions.values.filter { Tenant.allows(domain, $0.domain) }
        active = mine.count { $0.current != nil } + service.closing.values.count { Tenant.allows(domain, $0.record.domain) }
        sessions = mine.count
        waiting = mine.count { $0.current == nil }
    }
}
