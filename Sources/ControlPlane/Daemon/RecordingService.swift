import API
import Archive
import Capture
import Config
import Events
import Catalog
import JSON
import Logging
import MediaCore
import NIOCore
import NIOPosix
import Pipeline
import RecordingMetadata
import RecordingModel
import SIPCore
import Signalling
import SystemLayer

/// Settings the recording service needs, derived from the configuration.
public struct RecordingSettings: Sendable {
    public var dataDir: String
    public var mediaHost: String
    public var rtpTimeout: Duration
    /// At 8 kHz; a recording's own timing is this at its master's rate.
    public var timing: ReassemblyTiming
    public var encoder: EncoderSettings
    /// `[media] masterRate`: the rate of each recording's master.
    public var masterRate = MasterRate.auto
    /// `[media] concealment`: lost packets silent, or concealed by the decoder.
    public var concealment = LossConcealment.silence
    /// `[media] srtp` and `sdesOverPlainSIP`: which transports the answer takes, and SDES keys over plain SIP.
    public var srtp = SRTPMode.optional
    public var sdesOverPlainSIP = false
    /// Process-wide capture counters every stream counts into.
    public var totals = CaptureTotals()
    /// `[[rules]]`: the first match decides a session's call key and role.
    public var rules: [RecordingRule] = []
    /// How long a REST start for an unknown call key waits for its call (0: answered 404 at once).
    public var pendingStart: Duration = .seconds(30)
    /// `[webhooks]`: newCall decisions, events and alarms.
    public var webhooks = WebhooksSettings()
    /// `[storage] tempRetention`: how long a finished recording stays in the temporary store.
    public var tempRetention: Duration = .seconds(48 * 3_600)
    /// `[storage] minFree`: below this many free bytes new sessions are refused.
    public var minFree: Int64 = 512_000_000
    /// `[buckets.NAME]`: STORERECORDING destinations.
    public var buckets: [String: BucketSettings] = [:]
    /// `[keys]` and `[storage] inlineKeys`: STORERECORDING's encryption keys.
    public var keys: [String: [UInt8]] = [:]
    public var inlineKeys = false
    /// `[sip] heldSessionTimeout` and `heldSessionProbe`: held sessions whose SRC went silent.
    public var heldSessionTimeout: Duration = .seconds(4 * 3_600)
    public var heldSessionProbe: Duration = .seconds(60)

    public init(dataDir: String, mediaHost: String, rtpTimeout: Duration, timing: ReassemblyTiming, encoder: EncoderSettings) {
        self.dataDir = dataDir
        self.mediaHost = mediaHost
        self.rtpTimeout = rtpTimeout
        self.timing = timing
        self.encoder = encoder
    }
}

/// Turns SIPREC sessions into recordings: allocates ports, answers SDP, feeds the media engine,
/// follows pauses and updates, ends recordings and keeps the catalog current.
///
/// Confined to the control event loop (the SIP server's). Catalog writes go to one worker thread, in
/// order, so neither SIP nor media ever waits on SQLite.
public final class RecordingService: RecordingSessionDelegate, @unchecked Sendable {
    // @unchecked: all mutable state is confined to `eventLoop`.
    let eventLoop: EventLoop
    var settings: RecordingSettings
    let catalog: RecordingCatalog
    let catalogWorker: NIOThreadPool
    let logger: Logger
    let engine: MediaEngine
    weak var sipServer: SIPServer?
    var ports: PortAllocator
    /// Recording sessions by dialog (active mode) or Call-ID (passive mode).
    var sessions: [String: RecordingSession] = [:]
    /// Recordings that have ended but whose files are still being closed, by pipeline id.
    var closing: [String: LiveRecording] = [:]
    /// Control requests (stop, cancel) waiting for a recording's files to close, by recording id.
    var controlWaiters: [String: [(RecordingRecord) -> Void]] = [:]
    /// REST starts for call keys not seen yet, held for `pendingStart` (reference 000).
    var heldStarts: [HeldStart] = []
    /// Monotonic start times of recordings, for "started in the last minute" (pruned as it is read).
    var recentStarts: [Int64] = []
    /// Threads for blocking requests siprecd makes during call setup (newCall), off the event loop.
    let decisionPool: NIOThreadPool
    /// Small file writes the control loop must not wait for (stream-start journals).
    let journalPool: NIOThreadPool
    var timeoutTask: RepeatedTask?
    var checkpointTask: RepeatedTask?
    var sweepTask: RepeatedTask?
    /// Audio streams one recording may take (an SRC records two; conferences a few more). Bounds what
    /// one INVITE can make siprecd allocate.
    static let maximumStreams = 16

    /// Calls refused because the box ran out of what a call needs, by resource (/metrics).
    var exhausted: [CallSetupResource: Int] = [:]
    /// Set when shutdown begins: new sessions are refused (503) so every recording can be closed.
    var shuttingDown = false
    /// Lifecycle events and alarms: the live stream, and the webhook outbox.
    let publisher: EventPublisher
    /// STORERECORDING and MERGERECORDINGS into buckets.
    let archiver: RecordingArchiver
    /// Finished recordings' files until they are deleted or expire; the data disk's free space.
    let temporaryStore: TemporaryStore
    /// Passive mode: follows SIP seen on the mirror port.
    var tracker = PassiveSessionTracker(recordPlainCalls: false)

    public init(eventLoop: EventLoop, settings: RecordingSettings, portRange: (Int, Int), socketReceiveBuffer: Int32,
                engine: MediaEngine, catalog: RecordingCatalog, catalogWorker: NIOThreadPool, logger: Logger) {
        self.eventLoop = eventLoop
        publisher = EventPublisher(eventLoop: eventLoop, catalog: catalog, catalogWorker: catalogWorker, logger: logger)
        archiver = RecordingArchiver(eventLoop: eventLoop, settings: settings.archive, catalog: catalog, publisher: publisher, logger: logger)
        temporaryStore = TemporaryStore(eventLoop: eventLoop, settings: settings.archive, catalog: catalog, catalogWorker: catalogWorker,
                                        publisher: publisher, logger: logger)
        self.engine = engine
        self.settings = settings
        self.catalog = catalog
        self.catalogWorker = catalogWorker
        self.logger = logger
        ports = PortAllocator(low: portRange.0, high: portRange.1, receiveBuffer: socketReceiveBuffer)
        decisionPool = NIOThreadPool(numberOfThreads: 4)
        decisionPool.start()
        journalPool = NIOThreadPool(numberOfThreads: 1)
        journalPool.start()
    }

    /// Connects the SIP server and starts the RTP timeout watch.
    public func start(sipServer: SIPServer, webhooks: WebhooksSettings, broadcaster: EventBroadcaster) {
        publisher.configure(webhooks, live: { body, domain in broadcaster.publish(body, domain: domain) })
        self.sipServer = sipServer
        timeoutTask = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .milliseconds(500)) { [self] _ in
            checkRTPTimeouts()
            checkReception()
            expireHeldStarts()
        }
        // Often, so each pass has few new recordings: the loop answers INVITEs between passes.
        checkpointTask = eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(100), delay: .milliseconds(100)) { [self] _ in
            checkpointStreamStarts()
        }
        temporaryStore.checkDiskSpace()
        sweepTask = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [self] _ in
            temporaryStore.checkDiskSpace()
            temporaryStore.sweepExpired()
        }
    }

    /// Live recordings and those being closed, for status output.
    public var activeCount: Int { sessions.values.count { $0.current != nil } + closing.count }

    /// Writes a catalog row (and the events it causes, in the same transaction) on the catalog thread;
    /// failures are logged, never lost silently.
    func persist(_ record: RecordingRecord, events: [OutboxEvent] = []) {
        let catalog = catalog
        let logger = logger
        catalogWorker.runIfActive(eventLoop: eventLoop) {
            try catalog.save(record, queueing: events)
        }.whenFailure { error in
            logger.error("catalog write failed", metadata: [
                "recording_id": "\(record.recordingId)", "domain": "\(record.domain.lowercased())", "error": "\(error)"])
        }
    }

    /// How many recordings started in the last 60 s.
    func recordingsLastMinute() -> Int {
        let cutoff = monotonicNanos() - 60_000_000_000
        recentStarts.removeAll { $0 < cutoff }
        return recentStarts.count
    }

    /// Called on the encoder thread when a recording's files are closed.
    nonisolated func mediaFinished(_ pipeline: RecordingPipeline, _ outcome: RecordingOutcome) {
        eventLoop.execute { [self] in finalize(pipelineID: pipeline.id, outcome: outcome) }
    }
}

extension RecordingSettings {
    /// The settings `siprecd run` derives from the configuration (also used by replay).
    public static func from(_ config: Config.SiprecdConfig, dataDir: String? = nil) -> RecordingSettings {
        let encoder = EncoderSettings(mp3Bitrate: config.media.mp3Bitrate, mp3Quality: config.media.mp3Quality, mp3: config.media.mp3)
        let reorderWindow = max(160, config.media.reorderWindow.samples8k)
        // [media] streamBuffer (default 8 s: 64 Ki samples, 128 KB per stream), at least the reorder window,
        // the jump threshold and two encoder steps. What is left over is the encoder's slack: a stream whose
        // encoder falls further behind counts ring-full drops (BENCHMARKS.md §9 measures 8 s and 2 s).
        let timing = ReassemblyTiming(reorderWindow: reorderWindow, jumpThreshold: 8000,
                                      ringCapacity: max(Int(config.media.streamBuffer.samples8k), Int(reorderWindow) + 8000 + 2 * encoder.chunkFrames))
        var settings = RecordingSettings(dataDir: dataDir ?? config.storage.dataDir,
                                         mediaHost: config.sip.listen.first?.address.host ?? "127.0.0.1",
                                         rtpTimeout: config.media.rtpTimeout, timing: timing, encoder: encoder)
        settings.rules = config.rules
        settings.pendingStart = config.api.pendingStart
        settings.webhooks = config.webhooks
        settings.tempRetention = config.storage.tempRetention
        settings.minFree = config.storage.minFree
        settings.buckets = config.buckets
        settings.keys = config.keys
        settings.inlineKeys = config.storage.inlineKeys
        settings.heldSessionTimeout = config.sip.heldSessionTimeout
        settings.heldSessionProbe = config.sip.heldSessionProbe
        settings.masterRate = config.media.masterRate
        settings.concealment = config.media.concealment
        settings.srtp = config.media.srtp
        settings.sdesOverPlainSIP = config.media.sdesOverPlainSIP
        return settings
    }

    /// What the temporary store and the buckets take of these settings.
    var archive: ArchiveSettings {
        var archive = ArchiveSettings(dataDir: dataDir)
        archive.tempRetention = tempRetention
        archive.minFree = minFree
        archive.buckets = buckets
        archive.keys = keys
        archive.inlineKeys = inlineKeys
        archive.mp3Bitrate = encoder.mp3Bitrate
        archive.mp3Quality = encoder.mp3Quality
        return archive
    }

    /// Replay settings: as live.
    public static func forReplay(_ config: Config.SiprecdConfig) -> RecordingSettings { from(config) }
}
