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

/// Turns SIPREC sessions into recordings: allocates ports, answers SDP, feeds the media engine,
/// follows pauses and updates, ends recordings and keeps the catalog current.
///
/// Confined to the control event loop (the SIP server's). Catalog writes go to one worker thread, in
/// order, so neither SIP nor media ever waits on SQLite.
public final class RecordingService: RecordingSessionDelegate, @unchecked Sendable {
    // @unchecked: all mutable state is confined to `eventLoop`.
    public let eventLoop: EventLoop
    public internal(set) var settings: RecordingSettings
    let catalog: RecordingCatalog
    let catalogWorker: NIOThreadPool
    let logger: Logger
    /// The recording lifecycle, asked at every state change (refusals logged).
    let lifecycle: LifecycleCheck
    let engine: MediaEngine
    weak var sipServer: SIPServer?
    var ports: PortAllocator
    /// Recording sessions by dialog (active mode) or Call-ID (passive mode).
    var sessions: [String: RecordingSession] = [:]
    /// Recordings that have ended but whose files are still being closed, by pipeline id.
    var closing: [String: LiveRecording] = [:]
    /// Control requests (stop, cancel) waiting for a recording's files to close, by recording id.
    var controlWaiters: [String: [(RecordingRecord) -> Void]] = [:]
    /// The API's commands on recordings (runtime control, cloud commands, the device API).
    public private(set) lazy var commands = RecordingCommands(service: self)
    /// RTP timeouts, held sessions, unusable payloads.
    private(set) lazy var watch = SessionWatch(service: self)
    /// Starting recordings: files, the `started` transition and its effects.
    private(set) lazy var starts = RecordingStarts(service: self)
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
    /// Recording rows and the events written with them.
    let rows: RecordingRows
    /// STORERECORDING and MERGERECORDINGS into buckets.
    let archiver: RecordingArchiver
    /// Finished recordings' files until they are deleted or expire; the data disk's free space.
    let temporaryStore: TemporaryStore
    /// Passive mode: the calls seen on the mirror port.
    private(set) lazy var passive = PassiveRecorder(service: self)

    public init(eventLoop: EventLoop, settings: RecordingSettings, portRange: (Int, Int), socketReceiveBuffer: Int32,
                engine: MediaEngine, catalog: RecordingCatalog, catalogWorker: NIOThreadPool, logger: Logger) {
        self.eventLoop = eventLoop
        publisher = EventPublisher(eventLoop: eventLoop, catalog: catalog, catalogWorker: catalogWorker, logger: logger)
        rows = RecordingRows(eventLoop: eventLoop, catalog: catalog, catalogWorker: catalogWorker, publisher: publisher, logger: logger)
        archiver = RecordingArchiver(eventLoop: eventLoop, settings: settings.archive, catalog: catalog, publisher: publisher, logger: logger)
        temporaryStore = TemporaryStore(eventLoop: eventLoop, settings: settings.archive, catalog: catalog, catalogWorker: catalogWorker,
                                        publisher: publisher, logger: logger)
        self.engine = engine
        self.settings = settings
        self.catalog = catalog
        self.catalogWorker = catalogWorker
        self.logger = logger
        lifecycle = LifecycleCheck(logger: logger)
        ports = PortAllocator(low: portRange.0, high: portRange.1, receiveBuffer: socketReceiveBuffer)
        decisionPool = NIOThreadPool(numberOfThreads: 4)
        decisionPool.start()
        journalPool = NIOThreadPool(numberOfThreads: 1)
        journalPool.start()
    }

    /// Connects the SIP server and starts the timers (RTP timeouts, checkpoints, the expiry sweep). `live`
    /// publishes an event's body on the API's live stream to the subscribers of a tenant (nil: admins);
    /// `recordPlainCalls` is passive mode's `[sip] recordPlainCalls` (calls without SIPREC seen on the mirror
    /// port are recorded too).
    public func start(sipServer: SIPServer, webhooks: WebhooksSettings, recordPlainCalls: Bool = false,
                      live: @escaping @Sendable (String, String?) -> Void) {
        passive.tracker.recordPlainCalls = recordPlainCalls
        publisher.configure(webhooks, live: live)
        self.sipServer = sipServer
        timeoutTask = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .milliseconds(500)) { [self] _ in
            watch.checkRTPTimeouts()
            watch.checkReception()
            commands.expireHeldStarts()
        }
        // Often, so each pass has few new recordings: the loop answers INVITEs between passes.
        checkpointTask = eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(100), delay: .milliseconds(100)) { [self] _ in
            watch.checkpointStreamStarts()
        }
        temporaryStore.checkDiskSpace()
        sweepTask = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [self] _ in
            temporaryStore.checkDiskSpace()
            temporaryStore.sweepExpired()
        }
    }

    /// Live recordings and those being closed, for status output.
    public var activeCount: Int { sessions.values.count { $0.current != nil } + closing.count }

    /// Called on the encoder thread when a recording's files are closed.
    public nonisolated func mediaFinished(_ pipeline: RecordingPipeline, _ outcome: RecordingOutcome) {
        eventLoop.execute { [self] in finalize(pipelineID: pipeline.id, outcome: outcome) }
    }
}
