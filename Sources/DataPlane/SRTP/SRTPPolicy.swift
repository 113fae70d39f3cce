import CSRTP
import SIPCore

/// libsrtp's policy for an SDES offer: its suite, the session parameters it honours, and the replay
/// window. The receiver uses it inbound; the tests' and benchmark's sender, outbound.
public enum SRTPPolicy {
    /// A libsrtp session for packets of any SSRC of direction `ssrc` (`ssrc_any_inbound` or
    /// `ssrc_any_outbound`) keyed with `crypto`'s first key; the key is handed to libsrtp, which derives
    /// its session keys from it, and not kept in the policy.
    public static func create(_ crypto: SDPCrypto, ssrc: srtp_ssrc_type_t,
                              window: Int = SRTPReceiver.defaultWindow) -> (srtp_t?, srtp_err_status_t) {
        var policy = make(crypto, window: window)
        policy.ssrc.type = ssrc
        var session: srtp_t?
        let status = crypto.keys[0].material.withUnsafeBytes { key -> srtp_err_status_t in
            policy.key = UnsafeMutablePointer(mutating: key.bindMemory(to: UInt8.self).baseAddress)
            defer { policy.key = nil }
            return srtp_create(&session, &policy)
        }
        return (status == srtp_err_status_ok ? session : nil, status)
    }

    /// The policy without key or SSRC.
    static func make(_ crypto: SDPCrypto, window: Int) -> srtp_policy_t {
        let parameters = crypto.parameters
        var policy = srtp_policy_t()
        switch crypto.suite {
        case .aesCM128HmacSHA1_80: srtp_crypto_policy_set_rtp_default(&policy.rtp)
        case .aesCM128HmacSHA1_32: srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp)
        case .aeadAES128GCM: srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp)
        case .aeadAES256GCM: srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtp)
        }
        // SRTCP keeps its 80-bit tag under the _32 suite (RFC 4568 §6.2.2); AEAD protects both the same way.
        switch crypto.suite {
        case .aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32: srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
        case .aeadAES128GCM, .aeadAES256GCM: policy.rtcp = policy.rtp
        }
        if parameters.unauthenticatedSRTP { remove(sec_serv_auth, from: &policy.rtp) }
        if parameters.unencryptedSRTP { remove(sec_serv_conf, from: &policy.rtp) }
        if parameters.unencryptedSRTCP { remove(sec_serv_conf, from: &policy.rtcp) }
        // libsrtp takes windows of 64 to 32,767 packets; a larger hint gets the largest.
        policy.window_size = UInt(min(max(parameters.windowSizeHint ?? 0, window, 64), 0x7FFF))
        policy.allow_repeat_tx = 0
        policy.next = nil
        return policy
    }

    private static func remove(_ service: srtp_sec_serv_t, from policy: inout srtp_crypto_policy_t) {
        policy.sec_serv = srtp_sec_serv_t(rawValue: policy.sec_serv.rawValue & ~service.rawValue)
    }
}
