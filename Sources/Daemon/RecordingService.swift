import API
import Capture
import Config
import Catalog
import Logging
import MediaCore
import NIOCore
import NIOPosix
import Pipeline
import RecordingMetadata
import SIPCore
import Signalling

/// Settings the recording service needs, derived from the configuration.
public struct RecordingSettings: Sendable {
    public var dataDir: String
    public var mediaHost: String
    public var rtpTimeout: Duration
    public var timing: ReassemblyTiming
    public var encoder: EncoderSettings
    /// Process-wide capture counters every stream counts into.
    public var totals = CaptureTotals()
    /// `[[rules]]`: the first match decides a session's call key and role.
    public var rules: [RecordingRule] = []

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
    let settings: RecordingSettings
    let catalog: RecordingCatalog
    let catalogWorker: NIOThreadPool
    let logger: Logger
    var engine: MediaEngine!
    weak var sipServer: SIPServer?
    var ports: PortAllocator
    var live: [String: LiveRecording] = [:]
    /// Recordings whose SIP session has ended but whose files are still being closed.
    var closing: [String: LiveRecording] = [:]
    var timeoutTask: RepeatedTask?
    /// Audio streams one recording may take (an SRC records two; conferences a few more). Bounds what
    /// one INVITE can make siprecd allocate.
    static let maximumStreams = 16

    /// Set when shutdown begins: new sessions are refused (503) so every recording can be closed.
    var shuttingDown = false
    /// Builds lifecycle events (for the live stream always, for webhooks when `[webhooks]` is configured).
    var eventFactory = EventFactory(settings: WebhookSettings(base: "", secret: ""))
    var webhooksEnabled = false
    /// The live event stream of the API.
    var broadcaster: EventBroadcaster?
    /// Passive mode: follows SIP seen on the mirror port.
    var tracker = PassiveSessionTracker(recordPlainCalls: false)

    public init(eventLoop: EventLoop, settings: RecordingSettings, portRange: (Int, Int), socketReceiveBuffer: Int32,
                catalog: RecordingCatalog, catalogWorker: NIOThreadPool, logger: Logger) {
        self.eventLoop = eventLoop
        self.settings = settings
        self.catalog = catalog
        self.catalogWorker = catalogWorker
        self.logger = logger
        ports = PortAllocator(low: portRange.0, high: portRange.1, receiveBuffer: socketReceiveBuffer)
    }

    /// Connects the media engine and SIP server and starts the RTP timeout watch.
    public func start(engine: MediaEngine, sipServer: SIPServer, webhooks: WebhookSettings?, broadcaster: EventBroadcaster) {
        if let webhooks { eventFactory = EventFactory(settings: webhooks) }
        webhooksEnabled = webhooks != nil
        self.broadcaster = broadcaster
        self.engine = engine
        self.sipServer = sipServer
        timeoutTask = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .milliseconds(500)) { [self] _ in
            checkRTPTimeouts()
        }
    }

    /// Live recordings and those being closed, for status output.
    public var activeCount: Int { live.count + closing.count }

    /// Writes a catalog row (and the events it causes, in the same transaction) on the catalog thread;
    /// failures are logged, never lost silently.
    func persist(_ record: RecordingRecord, events: [OutboxEvent] = []) {
        let catalog = catalog
        let logger = logger
        catalogWorker.runIfActive(eventLoop: eventLoop) {
            try catalog.save(record, queueing: events)
        }.whenFailure { error in
            logger.error("catalog write failed", metadata: ["recording_id": "\(record.recordingId)", "error": "\(error)"])
        }
    }

    /// Publishes an event on the live stream; returns it for the outbox when webhooks are configured.
    func announce(_ event: OutboxEvent) -> [OutboxEvent] {
        broadcaster?.publish(event.body)
        return webhooksEnabled ? [event] : []
    }

    /// Called on the encoder thread when a recording's files are closed.
    nonisolated func mediaFinished(_ pipeline: RecordingPipeline, _ outcome: RecordingOutcome) {
        eventLoop.execute { [self] in finalize(pipelineID: pipeline.id, outcome: outcome) }
    }
}

extension RecordingSettings {
    /// The settings `siprecd run` derives from the configuration (also used by replay).
    public static func from(_ config: Config.SiprecdConfig, dataDir: String? = nil) -> RecordingSettings {
        let encoder = EncoderSettings(mp3Bitrate: config.media.mp3Bitrate, mp3Quality: config.media.mp3Quality)
        let reorderWindow = max(160, config.media.reorderWindow.samples8k)
        // Room for the reorder window, the jump threshold and two encoder chunks of lag.
        let timing = ReassemblyTiming(reorderWindow: reorderWindow, jumpThreshold: 8000,
                                      ringCapacity: max(65_536, Int(reorderWindow) + 8000 + 2 * encoder.chunkFrames))
        var settings = RecordingSettings(dataDir: dataDir ?? config.storage.dataDir,
                                         mediaHost: config.sip.listen.first?.address.host ?? "127.0.0.1",
                                         rtpTimeout: config.media.rtpTimeout, timing: timing, encoder: encoder)
        settings.rules = config.rules
        return settings
    }

    /// Replay settings: as live.
    public static func forReplay(_ config: Config.SiprecdConfig) -> RecordingSettings { from(config) }
}
