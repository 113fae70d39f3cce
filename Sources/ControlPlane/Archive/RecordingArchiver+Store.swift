import JSON
import Events
import NIOCore
import RecordingModel
import Storage

#if canImport(Glibc)
import Glibc
#endif

/// STORERECORDING (references 001 and 003): the edited recording is encoded once from the lossless
/// master into a bucket, on that bucket's store thread (StoreLanes); the outcome is RECORDINGSTORED (state `stored`; the
/// temporary files stay until DELETERECORDING or expiry) or STORERECORDINGFAILED + storeRecordingError.
extension RecordingArchiver {
    public func store(_ id: String, _ parameters: StoreParameters, domain: String?, event: String) {
        let catalog = catalog, settings = settings, factory = publisher.factory, queue = publisher.webhooksEnabled
        storeLanes.lane(for: parameters.destinationBucket).runIfActive(eventLoop: eventLoop) { () throws -> [OutboxEvent]? in
            guard let record = try catalog.recording(id: id), Tenant.allows(domain, record.domain) else { return nil }
            let fileName = parameters.fileName ?? StoredFileName.defaultName(day: WallClock.yyMMdd(WallClock.unixMillis()),
                                                                             recordingId: record.recordingId)
            do throws(StorageError) {
                try RecordingArchiver.produce(record, parameters, fileName: fileName, settings: settings)
            } catch {
                let events = [factory.storeFailed(record, reason: error.message),
                              factory.alarm(.storeRecordingError(event: event, error: error.message))]
                try catalog.enqueue(EventPublisher.outbound(events, webhooksEnabled: queue))
                return events
            }
            // As the recording is now (another bucket's store, or a delete, may have changed it meanwhile).
            var stored: [OutboxEvent] = []
            let queued = try catalog.update(id: record.recordingId) { now in
                // Stored from ready; stored, deleted or expired stay as they are (the bucket has its copy all the same).
                if let next = RecordingLifecycle.next(now.state, on: .storeSucceeded), next != now.state {
                    now.state = next
                    now.updatedAt = WallClock.unixMillis()
                }
                stored = [factory.stored(now, bucket: parameters.destinationBucket, fileName: fileName)]
                return EventPublisher.outbound(stored, webhooksEnabled: queue)
            }
            return queued == nil ? nil : stored
        }.whenComplete { [self] result in
            switch result {
            case .success(let events?):
                for outcome in events { publisher.publishLive(outcome, tenant: domain) }
                if events.count > 1 {
                    // STORERECORDINGFAILED and its storeRecordingError alarm: the alarm is logged like every other.
                    logger.warning("alarm storeRecordingError", metadata: [
                        "alarm": "\(events[1].body)", "recording_id": "\(id)", "domain": "\(domain?.lowercased() ?? "")"])
                }
                logger.info("store recording", metadata: ["recording_id": "\(id)", "bucket": "\(parameters.destinationBucket)",
                                                          "stored": "\(events.count == 1)"])
            case .success(nil):
                publisher.raise(.storeRecordingError(event: event, error: "no recording with id '\(id)'"), tenant: domain)
            case .failure(let error):
                logger.error("store failed", metadata: ["recording_id": "\(id)", "domain": "\(domain?.lowercased() ?? "")", "error": "\(error)"])
                publisher.raise(.storeRecordingError(event: event, error: "catalog error: \(error)"), tenant: domain)
            }
        }
    }

    /// Checks the request against the recording and the bucket, then writes the file.
    static func produce(_ record: RecordingRecord, _ parameters: StoreParameters, fileName: String,
                        settings: ArchiveSettings) throws(StorageError) {
        let format = try StoredFileName.validate(fileName)
        let key = try parameters.encryptionKey.map { (name) throws(StorageError) in try EncryptionKey.resolve(name, settings) }
        guard let bucket = settings.buckets[parameters.destinationBucket] else {
            throw StorageError("unknown destinationBucket '\(parameters.destinationBucket)'")
        }
        guard [.ready, .stored].contains(record.state), let master = record.masterPath else {
            throw StorageError("recording \(record.recordingId) is \(record.state); only a ready recording in the temporary store can be stored")
        }
        let frames = try MasterReader(path: "\(settings.dataDir)/\(master)").frames
        let edit = try StoreEdit.make(parameters, record: record, frames: frames)
        let channels = record.streams.count
        let callers = (0..<max(channels, 1)).map { channel in record.streams.contains { $0.channel == channel && $0.role == "caller" } }
        let job = StoreJob(masterPath: "\(settings.dataDir)/\(master)", edit: edit, format: format, callerChannels: callers,
                           mp3Bitrate: settings.mp3Bitrate, mp3Quality: settings.mp3Quality)
        try BucketWriter.write(settings: settings, bucket: bucket, fileName: fileName, key: key, tag: record.recordingId) {
            (path: String) throws(StorageError) in _ = try job.write(to: path)
        }
    }
}
