import Signatures
import Testing

@Suite("Base64URL decoding (Signatures)")
struct Base64URLDecodingTests {
    @Test("RFC 4648 §10 vectors decode, padded or not")
    func vectors() {
        let vectors: [(String, String)] = [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"),
                                           ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy")]
        for (plain, encoded) in vectors {
            #expect(Base64URL.decode(encoded) == Array(plain.utf8), "\(encoded)")
            let padded = encoded + String(repeating: "=", count: (4 - encoded.count % 4) % 4)
            #expect(Base64URL.decode(padded) == Array(plain.utf8), "\(padded)")
            #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        }
        #expect(Base64URL.decode("Zm9vYmFy"[...]) == Array("foobar".utf8))
    }

    @Test("every byte value round-trips, at every length mod 3")
    func roundTrip() {
        let bytes = (0..<256).map { UInt8($0) }
        for length in [0, 1, 2, 3, 254, 255, 256] {
            let slice = Array(bytes.prefix(length))
            #expect(Base64URL.decode(Base64URL.encode(slice)) == slice)
        }
        #expect(Base64URL.decode("-_-_") == [0xFB, 0xFF, 0xBF])
    }

    @Test("strict: bad characters, impossible lengths, wrong padding and non-zero tail bits are refused")
    func strictness() {
        for bad in ["Zm9v+", "Zm9v/", "Zm 9v", "Zm9v\n", "Zg==Zg", "Z", "Zm9vY", "Zg=", "Zg===", "Zm9=",
                    "=", "==", "Zm9v====", "Zh", "Zm9", "ü"] {
            #expect(Base64URL.decode(bad) == nil, "\(bad)")
        }
        // "Zh" has non-zero unused bits (the canonical spelling of "f" is "Zg").
        #expect(Base64URL.decode("Zh") == nil)
        #expect(Base64URL.decode("Zm9") == nil)
        #expect(Base64URL.decode("Zm8") == Array("fo".utf8))
    }
}
