/// Passive mode and replay: the SRTP key one stream's sender protects with, read from the offer and the
/// answer seen on the wire (RFC 4568: each side's `a=crypto` is the key it sends with; the answer's tag
/// names the offer's line it took).
public enum ObservedSRTPKey: Sendable, Equatable {
    /// Plain RTP/AVP.
    case plain
    /// SRTP under this key.
    case key(SDPCrypto)
    /// SRTP whose key this exchange does not show (DTLS-SRTP, no `a=crypto`, a line that does not parse):
    /// why, for the log. The stream is not decodable and must not be recorded as noise.
    case unavailable(String)

    /// `sentByOfferer`: the stream carries the offerer's RTP (SIPREC: the SRC's, to the answered address;
    /// a plain call: the caller's); otherwise the answerer's (a plain call's callee, to the offered address).
    public static func of(offered: SDPMedia?, answered: SDPMedia, sentByOfferer: Bool) -> ObservedSRTPKey {
        let profiles = [answered.proto, offered?.proto ?? ""].map(\.asciiUppercased)
        if profiles.contains(where: { $0.hasPrefix("UDP/TLS/RTP/SAVP") }) {
            return .unavailable("DTLS-SRTP (\(answered.proto)) keys are agreed in the media path and never visible in SIP")
        }
        // RTP/AVP with a=crypto in the answer too ("best-effort SRTP", as some SBCs send) is SRTP as well.
        let keyed = answered.attributes.contains { $0.name.asciiLowercased == "crypto" }
        guard answered.isSecureRTP || offered?.isSecureRTP == true || keyed else { return .plain }
        guard let chosen = answered.cryptoOffers.lazy.compactMap({ try? $0.get() }).first else {
            return .unavailable("the answer's \(answered.proto) m-line carries no usable a=crypto")
        }
        guard sentByOfferer else { return .key(chosen) }
        guard let key = offered?.cryptoOffers.lazy.compactMap({ try? $0.get() }).first(where: { $0.tag == chosen.tag }) else {
            return .unavailable("the offer has no usable a=crypto with the answer's tag \(chosen.tag)")
        }
        return .key(key)
    }
}
