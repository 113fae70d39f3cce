import Testing
import TestSupport
@testable import SIPCore

/// An SRTP offer of two streams, each m-line's `a=crypto` lines as given.
private func srtpOffer(proto: String = "RTP/SAVP", crypto: [[String]]) throws -> SDPSession {
    var text = "v=0\r\no=SRC 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n"
    for (index, lines) in crypto.enumerated() {
        text += "m=audio \(30000 + 2 * index) \(proto) 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
        for line in lines { text += "a=crypto:\(line)\r\n" }
        text += "a=sendonly\r\na=label:\(index + 1)\r\n"
    }
    return try SDPSession.parse(Array(text.utf8))
}

private let key80 = "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"
private let keyGCM128 = "inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw=="

private func policy(_ mode: SDPSecurityPolicy.Mode, sdes: Bool = true,
                    unsupported: @escaping @Sendable (SDPCrypto) -> String? = { _ in nil }) -> SDPSecurityPolicy {
    SDPSecurityPolicy(mode: mode, sdesAllowed: sdes, unsupported: unsupported, makeKey: { suite in "OWN\(suite.masterKeyBytes + suite.masterSaltBytes)" })
}

private func answer(_ offer: SDPSession, _ security: SDPSecurityPolicy) -> (answer: SDPSession, plan: [SDPAnswerPlan]) {
    SDPAnswerer.answer(offer: offer, localAddress: "192.0.2.10", ports: [40000, 40002], sessionId: "1", sessionVersion: 1,
                       decodable: recorderDecodable, security: security)
}

@Suite("SRTP policy in the answer (RFC 3711, RFC 4568)")
struct SDPSecurityPolicyTests {
    @Test("RTP/SAVP is kept, the first usable a=crypto of each m-line is picked in offer order, with siprecd's own key under its tag")
    func picksFirstUsable() throws {
        let offer = try srtpOffer(crypto: [
            ["1 AEAD_AES_128_GCM \(keyGCM128)", "2 AES_CM_128_HMAC_SHA1_80 \(key80)"],
            ["5 AES_CM_128_HMAC_SHA1_32 \(key80) UNENCRYPTED_SRTCP"],
        ])
        let (sdp, plan) = answer(offer, policy(.optional))
        #expect(plan.map(\.accepted) == [true, true])
        #expect(sdp.media.map(\.proto) == ["RTP/SAVP", "RTP/SAVP"])
        #expect(sdp.media[0].attributes.filter { $0.name == "crypto" } == [SDPAttribute(name: "crypto", value: "1 AEAD_AES_128_GCM inline:OWN28")])
        #expect(sdp.media[1].attributes.filter { $0.name == "crypto" }
            == [SDPAttribute(name: "crypto", value: "5 AES_CM_128_HMAC_SHA1_32 inline:OWN30 UNENCRYPTED_SRTCP")])
        #expect(plan[0].crypto?.suite == .aeadAES128GCM)
        #expect(plan[1].crypto?.tag == 5)
        #expect(plan.allSatisfy { $0.securityRefusal == nil })
        // The SRC's key is what the plan decrypts with; the answer never repeats it.
        #expect(!String(decoding: sdp.serialized(), as: UTF8.self).contains("PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"))
    }

    @Test("A line the media side cannot take (here: MKI) is skipped for the next one; none usable is refused with the first reason")
    func skipsUnsupported() throws {
        let noMKI: @Sendable (SDPCrypto) -> String? = { $0.keys.first?.mki == nil ? nil : "a=crypto:\($0.tag) MKI keys are not supported" }
        let offer = try srtpOffer(crypto: [
            ["1 AES_CM_128_HMAC_SHA1_80 \(key80)|2^20|1:4", "2 AES_CM_128_HMAC_SHA1_80 \(key80)"],
            ["3 AES_CM_128_HMAC_SHA1_80 \(key80)|2^20|1:4"],
        ])
        let (_, plan) = answer(offer, policy(.optional, unsupported: noMKI))
        #expect(plan.map(\.accepted) == [true, false])
        #expect(plan[0].crypto?.tag == 2)
        #expect(plan[1].securityRefusal == "m-line 2: no usable a=crypto offered (a=crypto:3 MKI keys are not supported)")
    }

    @Test("Malformed a=crypto, SAVP without keys, DTLS-SRTP: refused with a reason that never quotes a key")
    func refusals() throws {
        let malformed = try srtpOffer(crypto: [["1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ="], []])
        let (_, plan) = answer(malformed, policy(.optional))
        #expect(plan.map(\.accepted) == [false, false])
        let first = try #require(plan[0].securityRefusal)
        #expect(first.hasPrefix("m-line 1: no usable a=crypto offered ("))
        #expect(!first.contains("c2hvcnQ"))
        #expect(plan[1].securityRefusal == "m-line 2 offers RTP/SAVP without a=crypto (SDES) keys; DTLS-SRTP is not supported")
        let dtls = try srtpOffer(proto: "UDP/TLS/RTP/SAVPF", crypto: [[], []])
        #expect(answer(dtls, policy(.optional)).plan[0].securityRefusal?.contains("DTLS-SRTP (UDP/TLS/RTP/SAVPF)") == true)
    }

    @Test("SDES over plain SIP is refused unless allowed, and says why")
    func sdesOverPlainSIP() throws {
        let offer = try srtpOffer(crypto: [["1 AES_CM_128_HMAC_SHA1_80 \(key80)"], ["1 AES_CM_128_HMAC_SHA1_80 \(key80)"]])
        let (_, plan) = answer(offer, policy(.optional, sdes: false))
        #expect(plan.map(\.accepted) == [false, false])
        #expect(plan[0].securityRefusal?.contains("over plain SIP travel in the clear") == true)
        #expect(plan[0].securityRefusal?.contains("[media] sdesOverPlainSIP = true") == true)
    }

    @Test("required refuses RTP/AVP; off refuses RTP/SAVP; the default policy answers plain RTP as before")
    func modes() throws {
        let plain = try SDPSession.parse(Array(
            "v=0\r\no=SRC 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\nm=audio 30000 RTP/AVP 0\r\na=sendonly\r\n".utf8))
        let required = answer(plain, policy(.required)).plan[0]
        #expect(!required.accepted)
        #expect(required.securityRefusal?.contains("[media] srtp = \"required\"") == true)
        #expect(answer(plain, policy(.optional)).plan[0].accepted)
        #expect(answer(plain, .plainRTP).plan[0].accepted)
        let secure = try srtpOffer(crypto: [["1 AES_CM_128_HMAC_SHA1_80 \(key80)"], []])
        let off = answer(secure, policy(.off)).plan[0]
        #expect(!off.accepted)
        #expect(off.securityRefusal?.contains("[media] srtp = \"off\"") == true)
        #expect(answer(secure, .plainRTP).answer.media[0].port == 0)
    }
}
