import Catalog
import Events
import Logging
import NIOPosix
import JSON
import NIOCore
import RecordingModel
import SystemLayer

#if canImport(Glibc)
import Glibc
#endif

/// The temporary store (reference 001): a finished recording's files stay until DELETERECORDING or until
/// `[storage] tempRetention` after it ended, when the sweep deletes them (state `expired`) and raises
/// tempRecordingDeleted. The sweep works from the catalog, so it survives restarts. It also watches the
/// free space of the data directory: below `[storage] minFree` new sessions are refused.
///
/// Confined to the control event loop; catalog work runs on the catalog thread.
public final class TemporaryStore: @unchecked Sendable {
    // @unchecked: mutable state is confined to `eventLoop`.
    let eventLoop: EventLoop
    let catalog: RecordingCatalog
    let catalogWorker: NIOThreadPool
    let publisher: EventPublisher
    let logger: Logger
    public var settings: ArchiveSettings
    /// An expiry sweep is running on the catalog thread.
    var sweeping = false
    /// Forward steps of the wall clock, which the expiry sweep must not take for age.
    var clockSteps = ClockSteps()
    /// Free bytes on the data directory's file system at the last check (-1: unknown), and whether that
    /// is below `[storage] minFree` (new sessions are refused then).
    public private(set) var freeBytes: Int64 = -1
    public private(set) var lowDisk = false

    public init(eventLoop: EventLoop, settings: ArchiveSettings, catalog: RecordingCatalog, catalogWorker: NIOThreadPool,
                publisher: EventPublisher, logger: Logger) {
        self.eventLoop = eventLoop
        self.settings = settings
        self.catalog = catalog
        self.catalogWorker = catalogWorker
        self.publisher = publisher
        self.logger = logger
    }

    /// The states the expiry sweep looks at: those `RecordingLifecycle` lets expire.
    static let temporaryStates = RecordingState.allCases.filter { RecordingLifecycle.next($0, on: .expired) != nil }

    /// One sweep pass on the catalog thread (at most 64 recordings; the next pass takes the rest).
    public func sweepExpired() {
        guard !sweeping else { return }
        sweeping = true
        let retention = settings.tempRetention.components
        let retentionMillis = retention.seconds * 1000 + retention.attoseconds / 1_000_000_000_000_000
        let wall = WallClock.unixMillis(), monotonic = monotonicNanos() / 1_000_000
        // A wall-clock step forward must not make recordings look older than they are (see ClockSteps).
        clockSteps.observe(wallMillis: wall, monotonicMillis: monotonic)
        let cutoff = wall - retentionMillis - clockSteps.allowance(retentionMillis: retentionMillis, monotonicMillis: monotonic)
        let catalog = catalog, dataDir = settings.dataDir, factory = publisher.factory
        let queue = publisher.webhooksEnabled
        catalogWorker.runIfActive(eventLoop: eventLoop) { () throws -> [(id: String, alarm: OutboxEvent)] in
            var expired: [(id: String, alarm: OutboxEvent)] = []
            for var record in try catalog.recordings(inStates: TemporaryStore.temporaryStates, endedBefore: cutoff, limit: 64) {
                guard case .success(let transition) = RecordingLifecycle.apply(.expired, to: record.state) else { continue }
                let modified = record.updatedAt
                for effect in transition.effects {
                    switch effect {
                    case .removeFiles:
                        // A file that cannot be removed is not kept track of any more: the row says expired.
                        TemporaryFiles.remove(record, dataDir: dataDir)
                        record.masterPath = nil
                        record.mp3Path = nil
                    case .persist:
                        record.state = transition.state
                        record.updatedAt = WallClock.unixMillis()
                        let alarm = factory.alarm(.tempRecordingDeleted(record, modifiedDate: modified))
                        try catalog.save(record, queueing: EventPublisher.outbound([alarm], webhooksEnabled: queue))
                        expired.append((record.recordingId, alarm))
                    case .attachMedia, .finishMedia, .removeStartJournal, .answerWaiters:
                        continue   // not an expiry's (RecordingLifecycleTests pins each event's effects)
                    }
                }
            }
            return expired
        }.whenComplete { [self] result in
            sweeping = false
            switch result {
            case .success(let expired) where !expired.isEmpty:
                for entry in expired { publisher.publishLive(entry.alarm) }
                logger.notice("temporary recordings expired", metadata: ["recording_ids": "\(expired.map(\.id).joined(separator: ","))"])
            case .failure(let error):
                logger.error("expiry sweep failed", metadata: ["error": "\(error)"])
            default:
                break
            }
        }
    }
}

/// The files a recording keeps in the temporary store.
enum TemporaryFiles {
    /// Removes the master and the MP3 (a file already gone is fine). Returns the first other error.
    @discardableResult
    static func remove(_ record: RecordingRecord, dataDir: String) -> String? {
        var failure: String?
        for path in [record.masterPath, record.mp3Path].compactMap({ $0 }) {
            if unlink("\(dataDir)/\(path)") != 0, errno != ENOENT, failure == nil {
                failure = "cannot delete \(path): \(String(cString: strerror(errno)))"
            }
        }
        return failure
    }
}

extension TemporaryStore {
    /// The low-space watermark: one statvfs(2) a second; crossing `minFree` either way is logged.
    public func checkDiskSpace() {
        // The recordings directory may be its own file system (a USB disk, a partition).
        guard let free = FileSystem.freeBytes("\(settings.dataDir)/recordings") ?? FileSystem.freeBytes(settings.dataDir) else { return }
        freeBytes = free
        let low = free < settings.minFree
        guard low != lowDisk else { return }
        lowDisk = low
        if low {
            logger.critical("data disk below minFree: new recording sessions are refused", metadata: [
                "free_bytes": "\(free)", "min_free_bytes": "\(settings.minFree)", "data_dir": "\(settings.dataDir)"])
        } else {
            logger.notice("data disk above minFree again: new recording sessions are accepted", metadata: ["free_bytes": "\(free)"])
        }
    }

    /// DELETERECORDING: removes a finished recording's files from the temporary store (state `deleted`,
    /// RECORDINGDELETED); a recording that is not there gives DELETERECORDINGFAILED and, for a cloud
    /// command (`event` = its body), the deleteRecordingError alarm. `done` gets the row, or why not.
    public func delete(_ id: String, domain: String?, event: String?,
                                  done: @escaping (Result<RecordingRecord, ControlFailure>) -> Void) {
        let catalog = catalog, dataDir = settings.dataDir, factory = publisher.factory
        let queue = publisher.webhooksEnabled
        let done = NIOLoopBound(done, eventLoop: eventLoop)
        typealias Outcome = (result: Result<RecordingRecord, ControlFailure>, events: [OutboxEvent])
        catalogWorker.runIfActive(eventLoop: eventLoop) { () throws -> Outcome in
            guard var record = try catalog.recording(id: id), Tenant.allows(domain, record.domain) else {
                return (.failure(ControlFailure(kind: .notFound, reason: "no recording with id '\(id)'")), [])
            }
            func failed(_ kind: ControlFailure.Kind, _ reason: String) throws -> Outcome {
                var events = [factory.deleteFailed(record, reason: reason)]
                if let event { events.append(factory.alarm(.deleteRecordingError(event: event, error: reason))) }
                try catalog.save(record, queueing: EventPublisher.outbound(events, webhooksEnabled: queue))
                return (.failure(ControlFailure(kind: kind, reason: reason)), events)
            }
            guard case .success(let transition) = RecordingLifecycle.apply(.deleted, to: record.state) else {
                return try failed(.conflict, "recording \(record.recordingId) is \(record.state); nothing is left in the temporary store")
            }
            var events: [OutboxEvent] = []
            for effect in transition.effects {
                switch effect {
                case .removeFiles:
                    if let error = TemporaryFiles.remove(record, dataDir: dataDir) { return try failed(.failed, error) }
                    record.masterPath = nil
                    record.mp3Path = nil
                case .persist:
                    record.state = transition.state
                    record.updatedAt = WallClock.unixMillis()
                    events = [factory.deleted(record)]
                    try catalog.save(record, queueing: EventPublisher.outbound(events, webhooksEnabled: queue))
                case .attachMedia, .finishMedia, .removeStartJournal, .answerWaiters:
                    continue   // not a delete's (RecordingLifecycleTests pins each event's effects)
                }
            }
            return (.success(record), events)
        }.whenComplete { [self] outcome in
            switch outcome {
            case .success(let (result, events)):
                for event in events { publisher.publishLive(event, tenant: domain) }
                // A recording that is not there has no row to carry DELETERECORDINGFAILED: the alarm says it.
                if case .failure(let failure) = result, failure.kind == .notFound, let event {
                    publisher.raise(.deleteRecordingError(event: event, error: failure.reason), tenant: domain)
                }
                let message: String
                switch result {
                case .success: message = "deleted"
                case .failure(let failure): message = failure.reason
                }
                logger.info("delete recording", metadata: ["recording_id": "\(id)", "result": "\(message)"])
                done.value(result)
            case .failure(let error):
                logger.error("delete failed", metadata: ["recording_id": "\(id)", "domain": "\(domain?.lowercased() ?? "")", "error": "\(error)"])
                done.value(.failure(ControlFailure(kind: .failed, reason: "catalog error: \(error)")))
            }
        }
    }
}
