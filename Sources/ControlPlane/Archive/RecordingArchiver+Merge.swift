import JSON
import Events
import NIOCore
import RecordingModel
import Storage

/// MERGERECORDINGS (reference 001): ready recordings of one call on one timeline into a bucket, on the
/// destination bucket's store thread; the outcome is RECORDINGSMERGED or MERGERECORDINGSFAILED (reason), reported on the
/// recording that started first.
extension RecordingArchiver {
    public func merge(_ parameters: MergeParameters, domain: String?) {
        let catalog = catalog, settings = settings, factory = publisher.factory, queue = publisher.webhooksEnabled
        storeLanes.lane(for: parameters.destinationBucket).runIfActive(eventLoop: eventLoop) { () throws -> [OutboxEvent] in
            var records: [RecordingRecord] = []
            for item in parameters.toMerge {
                if let record = try catalog.recording(id: item.recordingId), Tenant.allows(domain, record.domain) { records.append(record) }
            }
            let order = parameters.toMerge.indices.sorted { parameters.toMerge[$0].startTime < parameters.toMerge[$1].startTime }
            guard let anchor = records.first(where: { $0.recordingId == parameters.toMerge[order[0]].recordingId.lowercased() }) ?? records.first else {
                return []
            }
            let fileName = parameters.fileName ?? "\(WallClock.yyMMdd(WallClock.unixMillis()))-\(anchor.recordingId)-merged.mp3"
            do throws(StorageError) {
                guard records.count == parameters.toMerge.count else {
                    throw StorageError("not every recording to merge exists in this tenant")
                }
                // A recording of the same call still running would be missing from the merge.
                let listed = Set(records.map(\.recordingId))
                for record in records {
                    let related = (try? catalog.related(to: record)) ?? []
                    if let active = related.first(where: { !listed.contains($0.recordingId) && $0.state.isLive }) {
                        throw StorageError("related recording \(active.recordingId) is still active; merge once it has ended")
                    }
                }
                try RecordingArchiver.produceMerge(parameters, records: records, fileName: fileName, settings: settings)
            } catch {
                let failed = factory.mergeFailed(anchor, reason: error.message)
                try catalog.enqueue(EventPublisher.outbound([failed], webhooksEnabled: queue))
                return [failed]
            }
            let merged = factory.merged(anchor, bucket: parameters.destinationBucket, fileName: fileName,
                                        recordingIds: parameters.toMerge.map(\.recordingId))
            try catalog.enqueue(EventPublisher.outbound([merged], webhooksEnabled: queue))
            return [merged]
        }.whenComplete { [self] result in
            switch result {
            case .success(let events):
                for event in events { publisher.publishLive(event, tenant: domain) }
                logger.info("merge recordings", metadata: ["recordings": "\(parameters.toMerge.count)", "events": "\(events.count)"])
            case .failure(let error):
                logger.error("merge failed", metadata: ["domain": "\(domain?.lowercased() ?? "")", "error": "\(error)"])
            }
        }
    }

    static func produceMerge(_ parameters: MergeParameters, records: [RecordingRecord], fileName: String,
                             settings: ArchiveSettings) throws(StorageError) {
        let format = try StoredFileName.validate(fileName)
        let key = try parameters.encryptionKey.map { (name) throws(StorageError) in try EncryptionKey.resolve(name, settings) }
        guard let bucket = settings.buckets[parameters.destinationBucket] else {
            throw StorageError("unknown destinationBucket '\(parameters.destinationBucket)'")
        }
        let origin = parameters.toMerge.map(\.startTime).min() ?? 0
        // The merged file runs at the widest master's rate; offsets are whole milliseconds at it.
        let rate = records.filter { record in parameters.toMerge.contains { $0.recordingId.lowercased() == record.recordingId } }
            .map(\.sampleRate).max() ?? 8_000
        let perMilli = Int64(rate / 1000)
        var inputs: [MergeJob.Input] = []
        // Every listed recording exists (checked by the caller), so inputs follow toMerge's order.
        let first = parameters.toMerge.firstIndex { $0.startTime == origin } ?? 0
        for item in parameters.toMerge {
            guard let record = records.first(where: { $0.recordingId == item.recordingId.lowercased() }) else {
                throw StorageError("recording \(item.recordingId) does not exist")
            }
            guard [.ready, .stored].contains(record.state), let master = record.masterPath else {
                throw StorageError("recording \(record.recordingId) is \(record.state); only ready recordings can be merged")
            }
            let callers = (0..<max(record.streams.count, 1)).map { channel in
                record.streams.contains { $0.channel == channel && $0.role == "caller" }
            }
            inputs.append(MergeJob.Input(masterPath: "\(settings.dataDir)/\(master)", offset: (item.startTime - origin) * perMilli,
                                         callerChannels: callers))
        }
        let segments = parameters.toMerge.flatMap(\.conferenceSegments).map {
            max(0, ($0.lowerBound - origin) * perMilli)..<max(0, ($0.upperBound - origin) * perMilli)
        }
        let job = MergeJob(inputs: inputs, conferenceSegments: segments, first: first, format: format,
                           mp3Bitrate: settings.mp3Bitrate, mp3Quality: settings.mp3Quality, sampleRate: rate)
        try BucketWriter.write(settings: settings, bucket: bucket, fileName: fileName, key: key, tag: "merge") {
            (path: String) throws(StorageError) in _ = try job.write(to: path)
        }
    }
}
