/// How an answer treats secure RTP (RFC 3711) keyed by SDES (RFC 4568): which profiles it takes, whether
/// keys may arrive over this signalling, and what the media side can decrypt.
public struct SDPSecurityPolicy: Sendable {
    /// `[media] srtp`.
    public enum Mode: String, Sendable, CaseIterable {
        /// RTP/AVP and RTP/SAVP both taken.
        case optional
        /// Only RTP/SAVP: a plain RTP/AVP stream is refused.
        case required
        /// Only RTP/AVP: SRTP streams are refused.
        case off
    }

    public var mode: Mode
    /// Whether SDES keys may be taken from this offer: it came over SIP/TLS, or the installer allowed
    /// keys over plain SIP (`[media] sdesOverPlainSIP`), where anyone on the path reads them.
    public var sdesAllowed: Bool
    /// Why the media side cannot take one offered `a=crypto` (KDR, MKI, FEC…), nil when it can.
    public var unsupported: @Sendable (SDPCrypto) -> String?
    /// siprecd's own master key and salt for `suite`, base64 (RFC 4568 §6.1: the answerer sends its own
    /// key for the tag it picked; a receive-only recorder never uses it).
    public var makeKey: @Sendable (SRTPSuite) -> String

    public init(mode: Mode, sdesAllowed: Bool, unsupported: @escaping @Sendable (SDPCrypto) -> String?,
                makeKey: @escaping @Sendable (SRTPSuite) -> String) {
        self.mode = mode
        self.sdesAllowed = sdesAllowed
        self.unsupported = unsupported
        self.makeKey = makeKey
    }

    /// Plain RTP only: SRTP m-lines are not taken.
    public static let plainRTP = SDPSecurityPolicy(mode: .off, sdesAllowed: false, unsupported: { _ in "SRTP is off" },
                                                   makeKey: { _ in "" })

    /// What the answer does with one offered audio m-line's transport.
    public enum Negotiation: Sendable, Equatable {
        /// Plain RTP/AVP.
        case plain
        /// SRTP with the offered `crypto` (the SRC's key, to decrypt with); `answer` is the `a=crypto`
        /// value for the answer.
        case secure(crypto: SDPCrypto, answer: String)
        /// Not this profile or these keys: the reason, for the 488.
        case refused(String)
        /// Not RTP at all (another profile): the m-line is simply not taken.
        case notRTP
    }

    /// Negotiates the m-line numbered `index` (0-based) of an offer.
    public func negotiate(_ offered: SDPMedia, index: Int) -> Negotiation {
        let line = "m-line \(index + 1)"
        switch offered.proto.asciiUppercased {
        case "RTP/AVP":
            guard mode != .required else {
                return .refused("\(line) offers plain RTP/AVP; this recorder takes only SRTP (RTP/SAVP with a=crypto): [media] srtp = \"required\"")
            }
            return .plain
        case "RTP/SAVP", "RTP/SAVPF":
            break
        case "UDP/TLS/RTP/SAVP", "UDP/TLS/RTP/SAVPF":
            return .refused("\(line) offers DTLS-SRTP (\(offered.proto)), which siprecd does not support: key the fork with SDES (a=crypto)")
        default:
            return .notRTP
        }
        guard mode != .off else {
            return .refused("\(line) offers SRTP (\(offered.proto)); [media] srtp = \"off\" takes plain RTP/AVP only")
        }
        let offers = offered.cryptoOffers
        guard !offers.isEmpty else {
            return .refused("\(line) offers \(offered.proto) without a=crypto (SDES) keys; DTLS-SRTP is not supported")
        }
        guard sdesAllowed else {
            return .refused("\(line): SDES keys (a=crypto) over plain SIP travel in the clear; siprecd takes them over SIP/TLS, "
                + "or over plain SIP only with [media] sdesOverPlainSIP = true")
        }
        var firstReason: String?
        for offer in offers {
            switch offer {
            case .failure(let error):
                firstReason = firstReason ?? error.description
            case .success(let crypto):
                if let reason = unsupported(crypto) {
                    firstReason = firstReason ?? reason
                    continue
                }
                return .secure(crypto: crypto, answer: answerValue(for: crypto))
            }
        }
        return .refused("\(line): no usable a=crypto offered (\(firstReason ?? "none"))")
    }

    /// `tag suite inline:OWNKEY` with the parameters that describe both directions echoed (RFC 4568
    /// §6.3: UNENCRYPTED_* and UNAUTHENTICATED_SRTP must match in offer and answer).
    private func answerValue(for crypto: SDPCrypto) -> String {
        var value = "\(crypto.tag) \(crypto.suite.rawValue) inline:\(makeKey(crypto.suite))"
        if crypto.parameters.unencryptedSRTP { value += " UNENCRYPTED_SRTP" }
        if crypto.parameters.unencryptedSRTCP { value += " UNENCRYPTED_SRTCP" }
        if crypto.parameters.unauthenticatedSRTP { value += " UNAUTHENTICATED_SRTP" }
        return value
    }
}
