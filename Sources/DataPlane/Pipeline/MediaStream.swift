import Capture
import MediaCore
import SRTP
import Wire

/// Which side of the call a stream carries; the MP3 puts caller left and callee right.
public enum StreamRole: String, Sendable {
    case caller, callee
}

/// One negotiated RTP stream of a recording: its socket, reassembler and place in the master.
public final class MediaStream: @unchecked Sendable {
    // @unchecked: `socket` is swapped only by the capture thread (via engine commands); the rest is
    // immutable or atomic.
    public let label: String?
    public let mLineIndex: Int
    public let role: StreamRole
    /// Channel index in the lossless master.
    public let channel: Int
    public let reassembler: StreamReassembler
    /// Monotonic time of the recording's position 0.
    let originNanos: Int64
    /// Timeline samples a second (the master's rate).
    public let sampleRate: Int
    /// The local RTP port negotiated for the stream (0 when none).
    public let port: Int
    /// Where the stream's RTP is addressed: the capture path's lookup key. Streams on sockets bound to
    /// the media address use the wildcard address with their port.
    public let key: EndpointKey?
    var socket: RTPSocket?
    private let totals: CaptureTotals?
    /// Behind a pointer, like the reassembler's state: no exclusivity check per packet.
    private let latch: UnsafeMutablePointer<SourceLatch>
    /// SRTP streams: the SRC's keys. nil for plain RTP.
    let decryption: StreamDecryption?
    /// The SRTP suite the stream was set up with (`AES_CM_128_HMAC_SHA1_80`…), nil for plain RTP.
    public let srtpSuite: String?

    /// `decoders`: for the codecs of `payloads` that are not G.711 (``StreamDecoders/init(for:factory:)``).
    public init(label: String?, mLineIndex: Int, role: StreamRole, channel: Int, payloads: StreamPayloads,
                decoders: StreamDecoders = StreamDecoders(), timing: ReassemblyTiming, originNanos: Int64, socket: RTPSocket?, key: EndpointKey? = nil,
                totals: CaptureTotals? = nil, protection: StreamProtection = .plain) throws(MemoryExhausted) {
        self.label = label
        self.mLineIndex = mLineIndex
        self.role = role
        self.channel = channel
        self.originNanos = originNanos
        sampleRate = timing.sampleRate
        self.socket = socket
        port = socket?.port ?? Int(key?.port ?? 0)
        self.key = key ?? socket.map { EndpointKey.anyAddress(port: UInt16($0.port)) }
        reassembler = try StreamReassembler(payloads: payloads, decoders: decoders, timing: timing, totals: totals)
        self.totals = totals
        latch = .allocate(capacity: 1)
        latch.initialize(to: SourceLatch())
        let counters = reassembler.counters
        switch protection {
        case .plain:
            (decryption, srtpSuite) = (nil, nil)
        case .srtp(let receiver):
            (decryption, srtpSuite) = (StreamDecryption(receiver, counters: counters, totals: totals), receiver.suite.rawValue)
        case .keysUnavailable:
            (decryption, srtpSuite) = (StreamDecryption(nil, counters: counters, totals: totals), nil)
        }
    }

    /// SRTP streams: the SRC's new key from a re-INVITE or UPDATE, from any thread; it takes over at the
    /// first packet under it (``StreamDecryption/offer(_:)``).
    public func rekey(_ receiver: SRTPReceiver) {
        decryption?.offer(receiver)
    }

    deinit {
        latch.deinitialize(count: 1)
        latch.deallocate()
    }

    /// A renegotiation (re-INVITE or UPDATE with SDP): the next datagram's sender is the stream's. Capture thread only.
    func reopenSender() {
        latch.pointee.reopen()
    }

    /// One datagram addressed to the stream from `sender`: recorded if it comes from the latched sender
    /// (see SourceLatch), counted and dropped if from another while that one is active. Capture thread only.
    /// An SRTP datagram is authenticated and decrypted first: what fails is counted and never latches a
    /// sender or reaches the reassembler.
    @inline(__always)
    func receive(_ bytes: UnsafeRawBufferPointer, from sender: EndpointKey, nowNanos: Int64, scratch: PacketScratch) {
        guard let decryption else { return admit(bytes, from: sender, nowNanos: nowNanos) }
        switch decryption.open(bytes, in: scratch) {
        case .rtp(let plain): admit(plain, from: sender, nowNanos: nowNanos)
        case .rtcp, .dropped: return
        }
    }

    @inline(__always)
    private func admit(_ bytes: UnsafeRawBufferPointer, from sender: EndpointKey, nowNanos: Int64) {
        switch latch.pointee.admit(sender, nowNanos: nowNanos) {
        case .latched:
            break
        case .relatched:
            reassembler.counters.bump(reassembler.counters.sourceChanges)
        case .foreign:
            reassembler.counters.bump(reassembler.counters.foreignSource)
            if let totals { totals.bump(totals.foreignSource) }
            return
        }
        reassembler.receive(bytes, arrival: position(atNanos: nowNanos), arrivalNanos: nowNanos)
    }

    /// From monotonic `nanos` on, the stream records (`accepting`) or not: what arrived before keeps the
    /// previous state. Capture thread only.
    public func schedule(accepting: Bool, atNanos nanos: Int64) {
        reassembler.schedule(AdmissionGate.Edge(nanos: nanos, position: position(atNanos: nanos), accepting: accepting))
    }

    /// Timeline position (samples at the master's rate) of a monotonic instant.
    @inline(__always)
    func position(atNanos nanos: Int64) -> Int64 {
        TimelineClock.position(nanos: nanos - originNanos, sampleRate: sampleRate)
    }
}
