import Testing
@testable import Signatures

@Suite("Signatures and reply tokens")
struct SignaturesTests {
    @Test("SHA-256 matches the FIPS 180-4 test vectors, including the two-block and million-'a' cases")
    func sha256Vectors() {
        #expect(SHA256.hash(Array("".utf8)).hexString == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hash(Array("abc".utf8)).hexString == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)).hexString
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)).hexString
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("HMAC-SHA256 matches RFC 4231 test cases 1, 2 and 6 (a key longer than a block)")
    func hmacVectors() {
        let case1 = HMACSHA256.authenticationCode(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(case1.hexString == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        let case2 = HMACSHA256.authenticationCode(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(case2.hexString == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let case6 = HMACSHA256.authenticationCode(key: [UInt8](repeating: 0xaa, count: 131),
                                                 message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        #expect(case6.hexString == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("a reply token verifies for its own recording and tenant only, and not under another secret")
    func replyTokens() {
        let tokens = ReplyToken(secret: Array("s3cret".utf8))
        let token = tokens.token(recordingId: "0de2bc60-14da-11e9-a3d8-2f24dd9af78e", domain: "sip.example.com")
        #expect(token.hasPrefix("v1.") && !token.contains("=") && !token.contains("+") && !token.contains("/"))
        #expect(tokens.verify(token, recordingId: "0DE2BC60-14DA-11E9-A3D8-2F24DD9AF78E", domain: "sip.example.com"))
        #expect(!tokens.verify(token, recordingId: "1de2bc60-14da-11e9-a3d8-2f24dd9af78e", domain: "sip.example.com"))
        #expect(!tokens.verify(token, recordingId: "0de2bc60-14da-11e9-a3d8-2f24dd9af78e", domain: "other.example.com"))
        #expect(!ReplyToken(secret: Array("other".utf8)).verify(token, recordingId: "0de2bc60-14da-11e9-a3d8-2f24dd9af78e",
                                                                 domain: "sip.example.com"))
        #expect(!tokens.verify("v1.forged", recordingId: "0de2bc60-14da-11e9-a3d8-2f24dd9af78e", domain: "sip.example.com"))
    }

    @Test("base64url has no padding and the URL alphabet")
    func base64url() {
        #expect(Base64URL.encode(Array("f".utf8)) == "Zg")
        #expect(Base64URL.encode(Array("fo".utf8)) == "Zm8")
        #expect(Base64URL.encode(Array("foo".utf8)) == "Zm9v")
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
    }
}

@Suite("Standard base64 (RFC 4648 §4)")
struct StandardBase64Tests {
    @Test("RFC 4648's test vectors, with padding, and the '+' and '/' of the standard alphabet; decode reverses it")
    func vectors() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(StandardBase64.encode(Array(plain.utf8)) == encoded)
            #expect(StandardBase64.decode(encoded) == Array(plain.utf8))
        }
        #expect(StandardBase64.encode([0xFB, 0xFF]) == "+/8=")
    }
}
