import Catalog
import Config
import JSON
import NIOCore
import LibCrypto
import RecordingModel
import Storage

#if canImport(Glibc)
import Glibc
#endif

/// STORERECORDING (references 001 and 003): the edited recording is encoded once from the lossless
/// master into a bucket, on that bucket's store thread (StoreLanes); the outcome is RECORDINGSTORED (state `stored`; the
/// temporary files stay until DELETERECORDING or expiry) or STORERECORDINGFAILED + storeRecordingError.
extension RecordingService {
    func store(_ id: String, _ parameters: StoreParameters, domain: String?, event: String) {
        let catalog = catalog, settings = settings, factory = eventFactory, queue = webhooksEnabled
        storeLanes.lane(for: parameters.destinationBucket).runIfActive(eventLoop: eventLoop) { () throws -> [OutboxEvent]? in
            guard let record = try catalog.recording(id: id), Tenant.allows(domain, record.domain) else { return nil }
            let fileName = parameters.fileName ?? StoredFileName.defaultName(day: WallClock.yyMMdd(WallClock.unixMillis()),
                                                                             recordingId: record.recordingId)
            do throws(StorageError) {
                try RecordingService.produce(record, parameters, fileName: fileName, settings: settings)
            } catch {
                let events = [factory.storeFailed(record, reason: error.message),
                              factory.alarm(.storeRecordingError(event: event, error: error.message))]
                try catalog.enqueue(queue ? events.filter { $0.url.hasPrefix("http") } : [])
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
                return queue ? stored.filter { $0.url.hasPrefix("http") } : []
            }
            return queued == nil ? nil : stored
        }.whenComplete { [self] result in
            switch result {
            case .success(let events?):
                for outcome in events { publishLive(outcome, tenant: domain) }
                if events.count > 1 {
                    // STORERECORDINGFAILED and its storeRecordingError alarm: the alarm is logged like every other.
                    logger.warning("alarm storeRecordingError", metadata: [
                        "alarm": "\(events[1].body)", "recording_id": "\(id)", "domain": "\(domain?.lowercased() ?? "")"])
                }
                logger.info("store recording", metadata: ["recording_id": "\(id)", "bucket": "\(parameters.destinationBucket)",
                                                          "stored": "\(events.count == 1)"])
            case .success(nil):
                raise(.storeRecordingError(event: event, error: "no recording with id '\(id)'"), tenant: domain)
            case .failure(let error):
                logger.error("store failed", metadata: ["recording_id": "\(id)", "domain": "\(domain?.lowercased() ?? "")", "error": "\(error)"])
                raise(.storeRecordingError(event: event, error: "catalog error: \(error)"), tenant: domain)
            }
        }
    }

    /// Checks the request against the recording and the bucket, then writes the file.
    static func produce(_ record: RecordingRecord, _ parameters: StoreParameters, fileName: String,
                        settings: RecordingSettings) throws(StorageError) {
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
                           mp3Bitrate: settings.encoder.mp3Bitrate, mp3Quality: settings.encoder.mp3Quality)
        try BucketWriter.write(settings: settings, bucket: bucket, fileName: fileName, key: key, tag: record.recordingId) {
            (path: String) throws(StorageError) in _ = try job.write(to: path)
        }
    }
}

/// Writes a file into a bucket, sealing it first when a key is given (the plaintext is made in the data
/// directory and removed once sealed).
enum BucketWriter {
    static func write(settings: RecordingSettings, bucket: BucketSettings, fileName: String, key: (id: String, bytes: [UInt8])?,
                      tag: String, produce: (String) throws(StorageError) -> Void) throws(StorageError) {
        switch bucket.kind {
        case .dir(let path, let overwrite):
            try DirectoryBucket(path: path, overwrite: overwrite).store(name: fileName) { (temporary: String) throws(StorageError) in
                guard let key else {
                    try produce(temporary)
                    return
                }
                try? FileSystem.makeDirectories("\(settings.dataDir)/tmp")
                let plain = "\(settings.dataDir)/tmp/store-\(tag)-\(UInt32.random(in: 0...UInt32.max))"
                defer { unlink(plain) }
                try produce(plain)
                do throws(SealedFile.Failure) {
                    try SealedFile.seal(source: plain, destination: temporary, key: key.bytes, keyId: key.id)
                } catch {
                    throw StorageError("encryption failed: \(error.message)")
                }
            }
        case .s3(let endpoint, let region, let name, let accessKeyId, let secretFile, let secretInline, let pathStyle, let partSize, let caFile):
            // Made (and sealed) locally, then uploaded; the local files are removed either way.
            let secret: String
            if let secretInline {
                secret = secretInline
            } else if let secretFile, let text = APIAuthentication.readSmallFile(secretFile) {
                secret = text.trimmingSpaces.split(separator: "\n").first.map(String.init) ?? ""
            } else {
                throw StorageError("bucket '\(bucket.name)': cannot read secretAccessKeyFile")
            }
            try? FileSystem.makeDirectories("\(settings.dataDir)/tmp")
            let plain = "\(settings.dataDir)/tmp/upload-\(tag)-\(UInt32.random(in: 0...UInt32.max))"
            let sealed = plain + ".sealed"
            defer { unlink(plain); unlink(sealed) }
            try produce(plain)
            var upload = plain
            if let key {
                do throws(SealedFile.Failure) {
                    try SealedFile.seal(source: plain, destination: sealed, key: key.bytes, keyId: key.id)
                } catch {
                    throw StorageError("encryption failed: \(error.message)")
                }
                upload = sealed
            }
            var target = S3Bucket(endpoint: endpoint, bucket: name, pathStyle: pathStyle,
                                  signer: S3Signer(accessKeyId: accessKeyId, secretAccessKey: secret, region: region))
            target.partSize = Int(partSize)
            target.caFile = caFile
            target.timeoutMillis = Int(bucket.timeout.components.seconds * 1000)
            do throws(StorageError) {
                try target.upload(path: upload, key: fileName, now: WallClock.unixMillis())
            } catch {
                throw StorageError("bucket '\(bucket.name)': \(error.message)")
            }
        }
    }
}

/// Turns STORERECORDING times into master frames (at the master's rate): seconds from the start, or Unix ms.
enum StoreEdit {
    static func make(_ parameters: StoreParameters, record: RecordingRecord, frames: Int64) throws(StorageError) -> AudioEdit {
        let rate = Double(record.sampleRate)
        func frame(_ time: Double) -> Int64 {
            parameters.absoluteTimes ? Int64(((time - Double(record.startTime)) * rate / 1000).rounded()) : Int64((time * rate).rounded())
        }
        func range(_ span: StoreParameters.Span, _ name: String) throws(StorageError) -> Range<Int64> {
            let lower = frame(span.from), upper = frame(span.to)
            guard lower >= 0, upper > lower, upper <= frames else {
                throw StorageError("\(name) \(span.from)–\(span.to) is outside the recording (\(Double(frames) / rate) s)")
            }
            return lower..<upper
        }
        let trim = try parameters.trim.map { (span) throws(StorageError) in try range(span, "trim") } ?? 0..<frames
        let channels = record.streams
        let fill: AudioEdit.Fill = parameters.maskFill == "silence" ? .silence : .beep
        var masks: [AudioEdit.Mask] = []
        for (role, spans) in [("caller", parameters.maskCaller), ("callee", parameters.maskCallee)] {
            let covered = channels.filter { $0.role == role }.map(\.channel)
            for span in spans { masks.append(AudioEdit.Mask(channels: covered, range: try range(span, "mask.\(role)"), fill: fill)) }
        }
        return AudioEdit(trim: trim, masks: masks, sampleRate: record.sampleRate)
    }
}

/// STORERECORDING's `encryptionKey`: a `[keys]` name, or (with `[storage] inlineKeys`) the base64 of a
/// 256-bit key, which is then recorded as key id "inline".
enum EncryptionKey {
    static func resolve(_ value: String, _ settings: RecordingSettings) throws(StorageError) -> (id: String, bytes: [UInt8]) {
        if let key = settings.keys[value] { return (value, key) }
        if let bytes = KeySettings.decodeBase64(value), bytes.count == 32 {
            guard settings.inlineKeys else {
                throw StorageError("encryptionKey carries a key, but inline keys are not allowed ([storage] inlineKeys = false)")
            }
            return ("inline", bytes)
        }
        throw StorageError("encryptionKey '\(value.prefix(32))' is not a key of [keys]")
    }
}
