import Testing
import MediaCore
import TestSupport

@Suite("G.711 decoding")
struct G711Tests {
    @Test("Every µ-law code decodes to the value ITU-T G.711 defines")
    func muLawMatchesReference() {
        for code in 0...255 {
            let c = UInt8(code)
            #expect(G711.muLawTable[code] == G711Reference.muLaw(c), "µ-law code \(code)")
            #expect(G711Tables.muLaw[code] == G711Reference.muLaw(c), "µ-law table pointer, code \(code)")
        }
    }

    @Test("Every A-law code decodes to the value ITU-T G.711 defines")
    func aLawMatchesReference() {
        for code in 0...255 {
            let c = UInt8(code)
            #expect(G711.aLawTable[code] == G711Reference.aLaw(c), "A-law code \(code)")
            #expect(G711Tables.aLaw[code] == G711Reference.aLaw(c), "A-law table pointer, code \(code)")
        }
    }

    @Test("Well-known codes decode to their textbook values")
    func knownValues() {
        #expect(G711.muLawToLinear(0xFF) == 0)
        #expect(G711.muLawToLinear(0x7F) == 0)
        #expect(G711.muLawToLinear(0x00) == -32124)
        #expect(G711.muLawToLinear(0x80) == 32124)
        #expect(G711.aLawToLinear(0xD5) == 8)
        #expect(G711.aLawToLinear(0x55) == -8)
        #expect(G711.aLawToLinear(0xAA) == 32256)
        #expect(G711.aLawToLinear(0x2A) == -32256)
        // The reference itself is pinned to the same textbook values.
        #expect(G711Reference.muLaw(0x00) == -32124 && G711Reference.aLaw(0xD5) == 8)
    }

    @Test("Decoding is odd-symmetric and monotonic within each sign, so no code sounds wrong")
    func symmetryAndOrder() {
        for code in 0..<128 {
            #expect(G711.muLawTable[code] == -G711.muLawTable[code + 128] || code == 0x7F)
            #expect(G711.aLawTable[code] == -G711.aLawTable[code + 128])
        }
        // µ-law: codes 0x00…0x7F go from most negative up towards zero.
        for code in 1..<128 { #expect(G711.muLawTable[code] > G711.muLawTable[code - 1]) }
    }

    @Test("Codec names map to the decoders and RTP payload types")
    func codecNames() {
        #expect(AudioCodec(encodingName: "pcmu") == .pcmu)
        #expect(AudioCodec(encodingName: "PCMA") == .pcma)
        #expect(AudioCodec(encodingName: "G729") == .g729 && AudioCodec(encodingName: "g729a") == .g729)
        #expect(AudioCodec(encodingName: "GSM") == nil)
        #expect(AudioCodec.pcmu.staticPayloadType == 0 && AudioCodec.pcma.staticPayloadType == 8)
    }
}
