import Testing
@testable import SIPCore

private func parse(_ text: String) throws(SDPCryptoError) -> SDPCrypto { try SDPCrypto(parsing: text[...]) }

private func bytes(_ key: SRTPKeyMaterial) -> [UInt8] { key.withUnsafeBytes { Array($0) } }

private func hex(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        out.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return out
}

private func reason(_ text: String) -> String? {
    do { _ = try parse(text); return nil } catch { return error.description }
}

@Suite("SDES a=crypto (RFC 4568)")
struct SDPCryptoTests {
    @Test("RFC 4568's own example: tag, suite, 30 bytes of key and salt, lifetime 2^20, MKI 1 of 4 bytes")
    func rfcExample() throws {
        let crypto = try parse("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4")
        #expect(crypto.tag == 1)
        #expect(crypto.suite == .aesCM128HmacSHA1_80)
        #expect(crypto.keys.count == 1)
        #expect(bytes(crypto.keys[0].material) == hex("3d2d6e40255e7821426a75667239293f2c2335685c603d265d7b71695051"))
        #expect(crypto.keys[0].lifetime == 1 << 20)
        #expect(crypto.keys[0].mki?.value == 1)
        #expect(crypto.keys[0].mki?.length == 4)
        #expect(crypto.parameters == (try SDESSessionParameters(parsing: [], tag: 1)))
    }

    @Test("Every supported suite takes exactly its key + salt length (AEAD salts are 12 bytes, RFC 7714)")
    func suiteLengths() throws {
        let gcm128 = try parse("7 AEAD_AES_128_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw==")
        #expect(bytes(gcm128.keys[0].material) == Array(0..<28))
        let gcm256 = try parse("8 AEAD_AES_256_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKis=")
        #expect(bytes(gcm256.keys[0].material) == Array(0..<44))
        let short = try parse("2 AES_CM_128_HMAC_SHA1_32 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz")
        #expect(short.suite == .aesCM128HmacSHA1_32)
        #expect(short.keys[0].lifetime == nil && short.keys[0].mki == nil)
        // A 30-byte AES-CM key offered for a GCM suite is refused, not truncated.
        #expect(reason("3 AEAD_AES_128_GCM inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR")?.contains("28 bytes") == true)
        #expect(reason("3 AEAD_AES_256_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw==")?.contains("44 bytes") == true)
    }

    @Test("Session parameters: KDR, UNENCRYPTED_*, UNAUTHENTICATED_SRTP, WSH, FEC and ignorable '-' ones")
    func sessionParameters() throws {
        let crypto = try parse("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR KDR=1 UNENCRYPTED_SRTCP WSH=128 -X_VENDOR=1")
        #expect(crypto.parameters.keyDerivationRate == 1)
        #expect(crypto.parameters.unencryptedSRTCP && !crypto.parameters.unencryptedSRTP)
        #expect(crypto.parameters.windowSizeHint == 128)
        #expect(crypto.parameters.ignored == ["-X_VENDOR=1"])
        let fec = try parse("1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4 FEC_ORDER=FEC_SRTP")
        #expect(fec.parameters.forwardErrorCorrection)
        #expect(reason("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR NEW_THING")?.contains("NEW_THING") == true)
        #expect(reason("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR WSH=32") != nil)
        #expect(reason("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR KDR=25") != nil)
    }

    @Test("Several keys only with MKIs of one length")
    func severalKeys() throws {
        let two = try parse("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4;inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|2:4")
        #expect(two.keys.map { $0.mki?.value } == [1, 2])
        #expect(reason("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR;inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz") != nil)
        let many = (1...17).map { "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|\($0):1" }.joined(separator: ";")
        #expect(reason("1 AES_CM_128_HMAC_SHA1_80 " + many)?.contains("17 keys") == true)
        #expect((try? parse("1 AES_CM_128_HMAC_SHA1_80 " + many.split(separator: ";").prefix(16).joined(separator: ";")))?.keys.count == 16)
        #expect(reason("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:4;inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2:2") != nil)
    }

    @Test("Malformed lines get a reason and never echo the key", arguments: [
        "",
        "1 AES_CM_128_HMAC_SHA1_80",
        "x AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
        "1234567890 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
        "1 F8_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
        "1 aes_cm_128_hmac_sha1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
        "1 AES_CM_128_HMAC_SHA1_80 uri:https://example.com/key",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVB",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR==",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVB!",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^49",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|0",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:0",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|256:1",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:4|2^20",
        "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4|9",
        // Misordered, or a second key where a session parameter belongs: the key is in another field.
        "1 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR AES_CM_128_HMAC_SHA1_80",
        "1 AES_CM_128_HMAC_SHA1_80 inline:QS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
    ])
    func malformed(text: String) {
        let why = reason(text)
        #expect(why != nil, "accepted: \(text)")
        #expect(why?.contains("PS1uQCVe") != true)
    }

    @Test("Printing a crypto line, its key or a dump of it shows no key material")
    func masked() throws {
        let crypto = try parse("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4")
        var dumped = ""
        dump(crypto, to: &dumped)
        for text in [String(describing: crypto), String(reflecting: crypto), "\([crypto])", dumped, "\(crypto.keys[0].material)"] {
            #expect(!text.contains("PS1uQCVe") && !text.contains("3d2d6e40"), "\(text)")
        }
        #expect(String(describing: crypto).contains("<masked>"))
    }

    @Test("An m-line's crypto offers keep the offer's order; RTP/SAVP and RTP/SAVPF are secure")
    func mediaOffers() {
        let media = SDPMedia(type: "audio", port: 4000, proto: "RTP/SAVP", formats: ["0"], attributes: [
            SDPAttribute(name: "crypto", value: "1 AEAD_AES_256_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKis="),
            SDPAttribute(name: "crypto", value: "2 NULL_SUITE inline:AAAA"),
            SDPAttribute(name: "crypto", value: "3 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"),
        ])
        let offers = media.cryptoOffers
        #expect(offers.count == 3)
        #expect((try? offers[0].get())?.tag == 1)
        #expect((try? offers[1].get()) == nil)
        #expect((try? offers[2].get())?.suite == .aesCM128HmacSHA1_80)
        #expect(media.isSecureRTP)
        #expect(SDPMedia(type: "audio", port: 4000, proto: "RTP/SAVPF", formats: ["0"]).isSecureRTP)
        #expect(!SDPMedia(type: "audio", port: 4000, proto: "RTP/AVP", formats: ["0"]).isSecureRTP)
    }
}
