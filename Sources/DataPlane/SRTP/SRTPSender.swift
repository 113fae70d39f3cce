import CSRTP
import SIPCore

/// The SRC's side of an SDES key: protects RTP and RTCP as a Session Recording Client would. siprecd
/// itself only receives; this is for its tests, the benchmark and the allocation guard.
public final class SRTPSender {
    private var session: srtp_t?

    public init(crypto: SDPCrypto) throws(SRTPError) {
        guard SRTPReceiver.libraryReady else { throw SRTPError("libsrtp did not initialise") }
        let status: srtp_err_status_t
        (session, status) = SRTPPolicy.create(crypto, ssrc: ssrc_any_outbound)
        guard status == srtp_err_status_ok else { throw SRTPError("sender policy: libsrtp status \(status.rawValue)") }
    }

    deinit { if let session { srtp_dealloc(session) } }

    /// `plain` (an RTP packet, or RTCP with `rtcp`) protected.
    public func protect(_ plain: [UInt8], rtcp: Bool = false) -> [UInt8] {
        var buffer = plain + [UInt8](repeating: 0, count: 64)   // room for the tag and the SRTCP index
        var length = Int32(plain.count)
        let status = buffer.withUnsafeMutableBytes { bytes in
            rtcp ? srtp_protect_rtcp(session, bytes.baseAddress, &length) : srtp_protect(session, bytes.baseAddress, &length)
        }
        precondition(status == srtp_err_status_ok, "srtp_protect: libsrtp status \(status.rawValue)")
        return Array(buffer.prefix(Int(length)))
    }
}
