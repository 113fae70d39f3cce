#if canImport(Glibc)
import Glibc
#endif
import Config
import Signalling
import SIPCore
import Signatures
import SRTP

/// A session's SRTP: the answer's policy, the 488 for an offer refused for its transport or keys, and
/// what a re-INVITE or UPDATE changes of the keys. Pure: no sockets, no session state of its own.
enum SessionSecurity {
    /// The answer's SRTP policy (`[media] srtp`, `sdesOverPlainSIP`) for an offer; `secureSignalling`:
    /// it came over SIP/TLS, so its SDES keys were not readable on the way.
    static func policy(_ settings: RecordingSettings, secureSignalling: Bool) -> SDPSecurityPolicy {
        SDPSecurityPolicy(mode: SDPSecurityPolicy.Mode(settings.srtp), sdesAllowed: secureSignalling || settings.sdesOverPlainSIP,
                          unsupported: SRTPReceiver.unsupported, makeKey: SDESAnswerKey.make)
    }

    /// The 488 for an offer with an audio m-line refused for its transport or keys: recording one side
    /// of a call in the clear, or not at all, is not what the installer asked for.
    static func refusal(_ plan: [SDPAnswerPlan]) -> RecordingService.Refusal? {
        guard let reason = plan.lazy.compactMap(\.securityRefusal).first else { return nil }
        return RecordingService.Refusal(statusCode: 488, reason: "Not Acceptable Here - \(reason)")
    }

    /// A re-INVITE's or UPDATE's SRTP against the session's: the streams whose key changed, with a receiver
    /// for the new key each (made here, off the data plane) — or the 488 when a stream would switch
    /// between RTP and SRTP, or a line is refused for its security.
    static func changes(session: RecordingSession, plan: [SDPAnswerPlan], window: Int) -> Result<[(Int, SRTPReceiver)], RecordingService.Refusal> {
        if let refusal = refusal(plan) { return .failure(refusal) }
        var rekeys: [(Int, SRTPReceiver)] = []
        for index in session.plans.indices {
            guard let current = session.plans[index], index < plan.count, plan[index].accepted else { continue }
            let offered = plan[index].crypto
            guard (current.crypto == nil) == (offered == nil) else {
                return .failure(RecordingService.Refusal(statusCode: 488, reason: "Not Acceptable Here - m-line \(index + 1) would switch from "
                                        + (current.crypto == nil ? "RTP to SRTP" : "SRTP to plain RTP") + " within the session; siprecd keeps a stream's protection for its whole session"))
            }
            guard let offered, let before = current.crypto, !SDPCrypto.sameKey(offered, before) else { continue }
            do {
                rekeys.append((index, try SRTPReceiver(crypto: offered, window: window)))
            } catch {
                return .failure(RecordingService.Refusal(statusCode: 488, reason: "Not Acceptable Here - m-line \(index + 1): \(error)"))
            }
        }
        return .success(rekeys)
    }
}

extension SDPCrypto {
    /// The same suite, key and salt, and session parameters: nothing to re-key.
    static func sameKey(_ a: SDPCrypto, _ b: SDPCrypto) -> Bool {
        a.suite == b.suite && a.keys.map(\.material) == b.keys.map(\.material) && a.parameters == b.parameters
    }
}

extension RecordingSettings {
    /// SRTP replay window (packets): covers `[media] reorderWindow`.
    var replayWindow: Int { SRTPReceiver.replayWindow(reorderSamples8k: timing.reorderWindow) }
}

extension SDPSecurityPolicy.Mode {
    init(_ mode: SRTPMode) {
        switch mode {
        case .optional: self = .optional
        case .required: self = .required
        case .off: self = .off
        }
    }
}

/// siprecd's own SDES key for an answer (RFC 4568 §6.1): fresh random key and salt from the kernel,
/// base64. siprecd only receives, so nothing is ever protected with it.
enum SDESAnswerKey {
    static func make(_ suite: SRTPSuite) -> String {
        // SystemRandomNumberGenerator reads the kernel's CSPRNG (getrandom) on Linux.
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<(suite.masterKeyBytes + suite.masterSaltBytes)).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        defer { explicit_bzero(&bytes, bytes.count) }
        return StandardBase64.encode(bytes)
    }
}
