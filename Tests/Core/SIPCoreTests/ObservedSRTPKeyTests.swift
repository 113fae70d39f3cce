import Testing
@testable import SIPCore

private func media(_ proto: String, _ attributes: [(String, String)]) -> SDPMedia {
    SDPMedia(type: "audio", port: 30000, proto: proto, formats: ["0"],
             attributes: attributes.map { SDPAttribute(name: $0.0, value: $0.1) })
}

private let srcKey = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"
private let srsKey = "QS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"

@Suite("Keys of observed SRTP streams (passive mode, replay)")
struct ObservedSRTPKeyTests {
    let offer = media("RTP/SAVP", [("crypto", "1 AEAD_AES_128_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw=="),
                                   ("crypto", "2 AES_CM_128_HMAC_SHA1_80 inline:\(srcKey)")])
    let answer = media("RTP/SAVP", [("crypto", "2 AES_CM_128_HMAC_SHA1_80 inline:\(srsKey)")])

    @Test("The offerer's stream uses the offer's line with the answer's tag; the answerer's, the answer's own")
    func bySender() throws {
        guard case .key(let offerer) = ObservedSRTPKey.of(offered: offer, answered: answer, sentByOfferer: true),
              case .key(let answerer) = ObservedSRTPKey.of(offered: offer, answered: answer, sentByOfferer: false)
        else { Issue.record("no keys"); return }
        let src = try SDPCrypto(parsing: "2 AES_CM_128_HMAC_SHA1_80 inline:\(srcKey)")
        let srs = try SDPCrypto(parsing: "2 AES_CM_128_HMAC_SHA1_80 inline:\(srsKey)")
        #expect(offerer.tag == 2 && offerer.keys[0].material == src.keys[0].material)
        #expect(answerer.keys[0].material == srs.keys[0].material)
    }

    @Test("Plain RTP, DTLS-SRTP, and SRTP whose keys the exchange does not show")
    func withoutKeys() {
        #expect(ObservedSRTPKey.of(offered: media("RTP/AVP", []), answered: media("RTP/AVP", []), sentByOfferer: true) == .plain)
        let dtls = ObservedSRTPKey.of(offered: media("UDP/TLS/RTP/SAVP", [("fingerprint", "sha-256 AB")]),
                                      answered: media("UDP/TLS/RTP/SAVP", [("fingerprint", "sha-256 CD")]), sentByOfferer: true)
        guard case .unavailable(let reason) = dtls else { Issue.record("DTLS-SRTP: \(dtls)"); return }
        #expect(reason.contains("DTLS-SRTP"))
        guard case .unavailable = ObservedSRTPKey.of(offered: offer, answered: media("RTP/SAVP", []), sentByOfferer: true) else {
            Issue.record("an answer without a=crypto"); return
        }
        let otherTag = media("RTP/SAVP", [("crypto", "7 AES_CM_128_HMAC_SHA1_80 inline:\(srsKey)")])
        guard case .unavailable(let why) = ObservedSRTPKey.of(offered: offer, answered: otherTag, sentByOfferer: true) else {
            Issue.record("an answer's tag the offer lacks"); return
        }
        #expect(why.contains("tag 7"))
    }
}
