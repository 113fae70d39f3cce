import MediaCore
import SRTP
import Synchronization

/// How a stream's packets are protected.
public enum StreamProtection: Sendable {
    case plain
    /// SRTP, decrypted with the SRC's key.
    case srtp(SRTPReceiver)
    /// SRTP whose key siprecd never saw (passive mode, replay: DTLS-SRTP, keys not in the SDP): packets are
    /// counted as `undecrypted` and never decoded as audio.
    case keysUnavailable
}

/// Where the thread that delivers packets (the capture thread, the offline driver) copies each SRTP datagram
/// to decrypt it in place: the capture buffer is the kernel's or libpcap's and is read-only. One per thread,
/// shared by all its streams, so it stays in cache however many streams there are.
public final class PacketScratch {
    /// The largest datagram taken: an Ethernet frame's UDP payload with room to spare.
    public static let bytes = 2_048
    let buffer: UnsafeMutableRawBufferPointer

    public init() {
        buffer = .allocate(byteCount: PacketScratch.bytes, alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        buffer.deallocate()
    }
}

/// The SRTP side of one stream (RFC 3711): the SRC's current key, the key it replaced while packets sent
/// before a re-key are still arriving, and the key a re-INVITE announced, which takes over when the first
/// packet under it arrives — even if that packet beats the control plane's news to the capture thread.
/// Capture thread only, except ``offer(_:)``; nothing here allocates per packet.
public final class StreamDecryption: @unchecked Sendable {
    // @unchecked: everything but `next` is the capture thread's; `next` is a Mutex the capture thread only
    // try-locks (it never waits on the control plane).
    /// nil: the key is unavailable.
    private(set) var current: SRTPReceiver?
    /// The key before the last re-key (re-INVITE or UPDATE, RFC 4568 §7.1.4), kept until the new one has
    /// authenticated ``overlapPackets`` packets: packets the SRC sent before it switched still arrive.
    private var previous: SRTPReceiver?
    private var authenticatedSinceRekey = 0
    public static let overlapPackets = 256
    private let counters: StreamCounters
    private let totals: CaptureTotals?
    /// The key a re-INVITE or UPDATE announced and no packet has used yet (set by the control plane).
    private let next = Mutex<SRTPReceiver?>(nil)

    /// `receiver` nil: the key is unavailable. Counts into `counters` (the stream's) and `totals`.
    public init(_ receiver: SRTPReceiver?, counters: StreamCounters, totals: CaptureTotals?) {
        current = receiver
        self.counters = counters
        self.totals = totals
    }

    /// Any thread: the SRC's new key. The capture thread switches to it at the first packet the current
    /// key does not authenticate and it does.
    public func offer(_ receiver: SRTPReceiver) {
        next.withLock { $0 = receiver }
    }

    /// A re-key on the capture thread: `receiver` decrypts from now on; the old key stays for packets in flight.
    func rekey(_ receiver: SRTPReceiver) {
        previous = current
        current = receiver
        authenticatedSinceRekey = 0
    }

    /// What one datagram is once decrypted.
    public enum Result {
        /// An RTP packet in plain text, in the scratch (valid until its next use).
        case rtp(UnsafeRawBufferPointer)
        /// SRTCP (multiplexed on the RTP port, RFC 5761), authenticated and counted: nothing to record.
        case rtcp
        /// Refused and counted (authentication, replay, malformed): nothing to record.
        case dropped
    }

    /// Authenticates, checks for replay and decrypts `datagram`, copied into `scratch`.
    @inline(__always)
    public func open(_ datagram: UnsafeRawBufferPointer, in scratch: PacketScratch) -> Result {
        let scratch = scratch.buffer
        guard let current else { return drop(counters.undecrypted) }
        guard datagram.count <= scratch.count, datagram.count >= 2 else {
            if let totals { totals.bump(totals.malformed) }
            return drop(counters.malformed)
        }
        // RFC 5761 §4: RTCP packet types 192–223 occupy the second byte where RTP has marker + payload type.
        let rtcp = (192...223).contains(datagram[1])
        // A packet of another key fails authentication, or (same SSRC, its sequence restarted far behind)
        // the replay check, which libsrtp runs first: either way the other keys get a try.
        var outcome = attempt(current, datagram, scratch, rtcp: rtcp)
        if outcome.otherKeyMayFit, let previous {
            outcome = attempt(previous, datagram, scratch, rtcp: rtcp)
        }
        if outcome.otherKeyMayFit, let announced = next.withLockIfAvailable({ $0 }) ?? nil {
            let tried = attempt(announced, datagram, scratch, rtcp: rtcp)
            if case .plain = tried {
                next.withLockIfAvailable { if $0 === announced { $0 = nil } }
                rekey(announced)
            }
            outcome = tried.otherKeyMayFit ? outcome : tried
        } else if case .plain = outcome, previous != nil {
            authenticatedSinceRekey += 1
            if authenticatedSinceRekey >= StreamDecryption.overlapPackets { previous = nil }
        }
        switch outcome {
        case .plain(let length):
            if rtcp {
                counters.bump(counters.srtcpPackets)
                return .rtcp
            }
            return .rtp(UnsafeRawBufferPointer(rebasing: scratch[0..<length]))
        case .authFailed:
            if let totals { totals.bump(totals.srtpAuthFailed) }
            return drop(counters.authFailed)
        case .replayed:
            if let totals { totals.bump(totals.srtpReplayed) }
            return drop(counters.replayed)
        case .malformed:
            if let totals { totals.bump(totals.malformed) }
            return drop(counters.malformed)
        }
    }

    @inline(__always)
    private func attempt(_ receiver: SRTPReceiver, _ datagram: UnsafeRawBufferPointer, _ scratch: UnsafeMutableRawBufferPointer,
                         rtcp: Bool) -> SRTPReceiver.Outcome {
        let packet = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<datagram.count])
        packet.copyMemory(from: datagram)
        return rtcp ? receiver.unprotectRTCP(packet) : receiver.unprotectRTP(packet)
    }

    @inline(__always)
    private func drop(_ counter: borrowing Atomic<Int64>) -> Result {
        counters.bump(counter)
        return .dropped
    }
}

extension SRTPReceiver.Outcome {
    /// Refused in a way another of the stream's keys might not refuse.
    var otherKeyMayFit: Bool { self == .authFailed || self == .replayed }
}
