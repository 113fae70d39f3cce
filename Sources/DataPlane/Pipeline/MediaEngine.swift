#if canImport(Glibc)
import Glibc
#endif
import Capture
import MediaCore
import SRTP
import Synchronization
import SystemLayer
import Wire

/// The data plane: one capture thread (sockets → reassemblers, G.711 decoded by table, other codecs'
/// payloads queued) and one encoder lane per core (decode queues → rings → WAV + MP3). The control plane talks to it only through command queues that the threads
/// drain with a try-lock, so neither thread ever waits on the control plane.
public final class MediaEngine: @unchecked Sendable {
    // @unchecked: `capture*` state is confined to the capture thread, `encoder*` state to the encoder
    // thread; cross-thread traffic goes through the two Mutex-protected queues and atomics.

    /// Called on the encoder thread when a recording's files are closed.
    public typealias FinishHandler = @Sendable (RecordingPipeline, RecordingOutcome) -> Void

    enum CaptureCommand {
        /// Starts reading a session's RTP sockets (packets for no attached stream are counted and dropped).
        case openSockets([RTPSocket])
        /// Stops reading and closes sockets whose session ended without a recording in progress.
        case closeSockets([RTPSocket])
        /// Registers a recording's streams, then calls `applied` (on the capture thread): from then on every
        /// datagram captured for them is theirs.
        case attach(RecordingPipeline, applied: (@Sendable () -> Void)?)
        /// From the instant on (when the message that caused it was read), the stream records or not.
        case setAccepting(MediaStream, Bool, atNanos: Int64)
        case setPayloads(MediaStream, StreamPayloads, StreamDecoders)
    }

    let source: PacketSource
    let onFinish: FinishHandler
    let captureQueue = Mutex<[CaptureCommand]>([])
    /// The capture thread's: SRTP datagrams are decrypted in it.
    let packetScratch = PacketScratch()
    let lanes: [EncoderLane]
    let running = Atomic<Bool>(false)
    let wakeIntervalMillis: Int32 = 10
    /// The longest a pause, resume or end waits for the source to deliver what arrived before it.
    static let horizonLimitNanos: Int64 = 500_000_000
    /// How often the capture thread releases audio on every live stream: a tenth of the 200 ms reorder
    /// window; an encoder lane reads only every 50 ms. (At 5 ms, 500 calls cost 200,000 stream advances a
    /// second against their 50,000 packets.)
    static let releaseIntervalNanos: Int64 = 20_000_000
    /// A pipe whose read end the source polls too: queuing a command writes a byte so the capture thread
    /// applies it now rather than after up to `wakeIntervalMillis`.
    private let wakePipe: (read: Int32, write: Int32)

    /// Streams that could not be registered because the lookup table was full.
    public let tableFull = Atomic<Int64>(0)
    /// Datagrams that reached a port no stream owns (late packets of an ended call, strays, a session
    /// waiting for a REST start).
    public let unknownStreamPackets = Atomic<Int64>(0)
    /// When such datagrams last reached each port: tells the control loop whether a session with no
    /// recording in progress still has media.
    public let unclaimedArrivals = PortActivity()
    /// Capture loop iterations; the watchdog checks that it moves.
    public let captureLoops = Atomic<Int64>(0)
    /// Encoder loop iterations of the slowest lane (it stops moving if any encoder thread stalls).
    public var encoderLoops: Int64 { lanes.map { $0.loops.load(ordering: .relaxed) }.min() ?? 0 }
    /// Encoder threads.
    public var encoderThreads: Int { lanes.count }

    // Capture-thread state.
    var streamTable: StreamTable
    var capturing: [RecordingPipeline] = []
    private var threads: [pthread_t] = []

    /// - Parameter maximumStreams: streams the lookup table holds at once (allocated here, never grown).
    /// - Parameter encoderThreads: encoder lanes (default: one per online CPU, at most 8).
    public init(maximumStreams: Int = 8192, encoderThreads: Int? = nil, source: PacketSource, onFinish: @escaping FinishHandler) {
        let cpus = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        lanes = (0..<max(1, min(8, encoderThreads ?? cpus))).map(EncoderLane.init(index:))
        self.source = source
        self.onFinish = onFinish
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends {
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            }
            wakePipe = (ends[0], ends[1])
            source.wakeDescriptor = ends[0]
        } else {
            wakePipe = (-1, -1)
        }
        streamTable = StreamTable(capacity: maximumStreams)
        capturing.reserveCapacity(1024)
    }

    // MARK: Control plane

    /// Starts the capture thread and one encoder thread per lane; throws (with none left running) when the
    /// system will not create them.
    public func start() throws(Errno) {
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return }
        do {
            threads.append(try DedicatedThread.start(name: "siprecd-capture") { [self] in captureLoop() })
            for lane in lanes {
                threads.append(try DedicatedThread.start(name: "siprecd-encode\(lane.index)") { [self] in encoderLoop(lane) })
            }
        } catch {
            stop()
            throw error
        }
    }

    /// Stops both threads (recordings still live are closed first by the caller).
    public func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        for thread in threads { DedicatedThread.join(thread) }
        threads.removeAll()
    }

    /// Starts reading a session's RTP sockets. They outlive the recordings made from them (a REST stop
    /// and start make two recordings of one session); see ``finish(_:atNanos:closingSockets:)``.
    public func openSockets(_ sockets: [RTPSocket]) {
        guard !sockets.isEmpty else { return }
        enqueue(.openSockets(sockets))
    }

    /// Closes sockets of a session that has no recording in progress.
    public func closeSockets(_ sockets: [RTPSocket]) {
        guard !sockets.isEmpty else { return }
        enqueue(.closeSockets(sockets))
    }

    /// Starts capturing and encoding a recording.
    /// `applied` runs on the capture thread once the streams are registered (keep it short: hand over to
    /// your own thread); the SIP answer waits for it, so no packet the SRC sends after the 200 OK is missed.
    public func attach(_ pipeline: RecordingPipeline, applied: (@Sendable () -> Void)? = nil) {
        let lane = lanes.min { $0.assigned.load(ordering: .relaxed) < $1.assigned.load(ordering: .relaxed) } ?? lanes[0]
        lane.assigned.wrappingAdd(1, ordering: .relaxed)
        lane.queue.withLock { $0.append(pipeline) }
        enqueue(.attach(pipeline, applied: applied))
    }

    /// Queues a command for the capture thread and wakes it.
    private func enqueue(_ command: CaptureCommand) {
        captureQueue.withLock { $0.append(command) }
        if wakePipe.write >= 0 {
            var byte: UInt8 = 1
            _ = write(wakePipe.write, &byte, 1)   // a full pipe already means "wake up"
        }
    }

    /// Pauses (false) or resumes (true) a stream from monotonic `nanos` on — the time the signalling
    /// message or request that asked for it was read: packets that arrived before keep the previous state,
    /// whichever thread gets there first. While paused, the timeline runs on as silence.
    public func setAccepting(_ stream: MediaStream, _ accepting: Bool, atNanos nanos: Int64) {
        enqueue(.setAccepting(stream, accepting, atNanos: nanos))
    }

    /// Applies renegotiated payload types. `decoders`: made on the caller's thread for the codecs of
    /// `payloads` that need one; the capture thread keeps those the stream already runs.
    public func setPayloads(_ stream: MediaStream, _ payloads: StreamPayloads, decoders: StreamDecoders = StreamDecoders()) {
        enqueue(.setPayloads(stream, payloads, decoders))
    }

    /// An SRTP stream's new key (re-INVITE or UPDATE), made on the caller's thread (libsrtp allocates its
    /// context): it takes over at the first packet under it, and the old one keeps decrypting packets in flight.
    public func rekey(_ stream: MediaStream, _ receiver: SRTPReceiver) {
        stream.rekey(receiver)
    }

    /// Ends a recording at a monotonic instant (when the BYE, CANCEL or request that ends it was read):
    /// once the source has delivered every packet that arrived before it, the streams are released up to
    /// the end, and the encoder closes the files and calls the finish handler. `closingSockets` are
    /// closed once the streams have read what was queued (the session ended with this recording).
    public func finish(_ pipeline: RecordingPipeline, atNanos nanos: Int64, closingSockets: [RTPSocket] = []) {
        pipeline.socketsToClose = closingSockets
        pipeline.endRequestNanos.store(max(nanos, pipeline.originNanos + 1), ordering: .releasing)
    }
}
