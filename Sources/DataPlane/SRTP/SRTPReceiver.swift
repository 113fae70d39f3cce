import CSRTP
import SIPCore

/// The receiving side of one SRTP stream (RFC 3711) keyed by an SDES offer (RFC 4568): authenticates,
/// checks for replay and decrypts packets in place, through libsrtp. One thread only (the data plane's);
/// libsrtp allocates a stream the first time it sees an SSRC, never per packet after that.
public final class SRTPReceiver: @unchecked Sendable {
    // @unchecked: made on the control thread, then used by one thread only (the data plane's).
    /// What became of one packet.
    public enum Outcome: Equatable, Sendable {
        /// Decrypted in place: the RTP (or RTCP) packet is the first `length` bytes.
        case plain(length: Int)
        /// The authentication tag did not match (a wrong key, a corrupted or forged packet).
        case authFailed
        /// Already received, or older than the replay window.
        case replayed
        /// Too short to be SRTP, or another libsrtp refusal (its status code).
        case malformed(status: Int32)
    }

    private var session: srtp_t?
    /// The suite the SRC protects with.
    public let suite: SRTPSuite

    /// The smallest replay window (packets): wider than the default reorder window (200 ms is 80 packets of
    /// 2.5 ms Opus). ``replayWindow(reorderSamples8k:)`` widens it for a longer `[media] reorderWindow`.
    public static let defaultWindow = 1_024

    /// A replay window that covers a reorder window of `samples` at 8 kHz in the shortest packets an SRC
    /// sends (2.5 ms, 20 samples): a packet the reassembler would still take is never refused as too old.
    public static func replayWindow(reorderSamples8k samples: Int64) -> Int {
        max(defaultWindow, Int(min(samples / 20 + 1, 0x7FFF)))
    }

    /// A receiver for packets from any SSRC protected with `crypto`'s first key, with a replay window of
    /// at least `window` packets (and the offer's WSH).
    public init(crypto: SDPCrypto, window: Int = SRTPReceiver.defaultWindow) throws(SRTPError) {
        guard SRTPReceiver.libraryReady else { throw SRTPError("libsrtp did not initialise") }
        if let reason = SRTPReceiver.unsupported(crypto) { throw SRTPError(reason) }
        suite = crypto.suite
        let status: srtp_err_status_t
        (session, status) = SRTPPolicy.create(crypto, ssrc: ssrc_any_inbound, window: window)
        guard status == srtp_err_status_ok else {
            throw SRTPError("a=crypto:\(crypto.tag) \(crypto.suite.rawValue): libsrtp refused the policy (status \(status.rawValue))")
        }
    }

    /// Why a receiver cannot be made for `crypto` (nil: it can), in words for the 488: the session
    /// parameters and key forms libsrtp's receive path is not set up for here.
    public static func unsupported(_ crypto: SDPCrypto) -> String? {
        let parameters = crypto.parameters
        if parameters.keyDerivationRate != 0 {
            return "a=crypto:\(crypto.tag) KDR=\(parameters.keyDerivationRate): only a key derivation rate of 0 is supported"
        }
        if parameters.forwardErrorCorrection { return "a=crypto:\(crypto.tag) FEC_ORDER/FEC_KEY are not supported" }
        if crypto.keys.count != 1 || crypto.keys[0].mki != nil { return "a=crypto:\(crypto.tag) keys with an MKI are not supported yet" }
        // Unauthenticated SRTP would let anyone on the path inject audio into the recording (and make libsrtp
        // keep state for every forged SSRC): a recorder does not take it.
        if parameters.unauthenticatedSRTP {
            return "a=crypto:\(crypto.tag) UNAUTHENTICATED_SRTP is not accepted: a recording must not take packets anyone could forge"
        }
        let aead = crypto.suite == .aeadAES128GCM || crypto.suite == .aeadAES256GCM
        if aead && (parameters.unencryptedSRTP || parameters.unencryptedSRTCP) {
            return "a=crypto:\(crypto.tag) UNENCRYPTED_SRTP/UNENCRYPTED_SRTCP are not supported with an AEAD suite (RFC 7714)"
        }
        return nil
    }

    deinit {
        // libsrtp zeroes the derived keys as it frees the streams.
        if let session { srtp_dealloc(session) }
    }

    /// Unprotects the SRTP packet in `packet` in place.
    @inline(__always)
    public func unprotectRTP(_ packet: UnsafeMutableRawBufferPointer) -> Outcome {
        outcome(length: packet.count) { srtp_unprotect(session, packet.baseAddress, &$0) }
    }

    /// Unprotects the SRTCP packet in `packet` in place.
    @inline(__always)
    public func unprotectRTCP(_ packet: UnsafeMutableRawBufferPointer) -> Outcome {
        outcome(length: packet.count) { srtp_unprotect_rtcp(session, packet.baseAddress, &$0) }
    }

    @inline(__always)
    private func outcome(length: Int, _ call: (inout Int32) -> srtp_err_status_t) -> Outcome {
        // libsrtp reads a 12-byte header (8 for RTCP) before it checks anything.
        guard length >= 12, length <= Int(Int32.max) else { return .malformed(status: -1) }
        var size = Int32(length)
        let status = call(&size)
        switch status {
        case srtp_err_status_ok: return .plain(length: Int(size))
        case srtp_err_status_auth_fail: return .authFailed
        case srtp_err_status_replay_fail, srtp_err_status_replay_old: return .replayed
        default: return .malformed(status: Int32(status.rawValue))
        }
    }

    /// libsrtp's one-time initialisation (not thread-safe itself: this runs it once, whoever asks first).
    public static let libraryReady: Bool = srtp_init() == srtp_err_status_ok
}

/// Why an SRTP stream cannot be set up, in words for the 488's Warning and the log (never key material).
public struct SRTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
