import Auth
import Signatures
import Testing

@Suite("JWT verification: malformed tokens and refused algorithms")
struct JWTVerifierMalformedTests {
    let verifier = JWTVerifier.hs256()

    func code(_ token: String) -> AuthError.Code? {
        failure { try verifier.verify(token, nowSeconds: now) }?.code
    }

    @Test("alg none is refused, with or without a signature")
    func algNone() {
        let input = TokenFactory.part(#"{"alg":"none","typ":"JWT"}"#) + "." + TokenFactory.part(TokenFactory.payload())
        #expect(code(input + ".") == .unsupportedAlgorithm)
        #expect(code(input + "." + Base64URL.encode([1, 2, 3])) == .unsupportedAlgorithm)
        let none = TokenFactory.part(#"{"alg":"None"}"#) + "." + TokenFactory.part(TokenFactory.payload()) + "."
        #expect(code(none) == .unsupportedAlgorithm)
    }

    @Test("unknown algorithms and a header without alg are refused")
    func otherAlgorithms() {
        for alg in ["HS512", "hs256", "PS256", "ES384", "EdDSA", ""] {
            #expect(code(TokenFactory.hs256(header: TokenFactory.header(alg))) == .unsupportedAlgorithm, "alg \(alg)")
        }
        #expect(code(TokenFactory.hs256(header: #"{"typ":"JWT"}"#)) == .malformed)
        #expect(code(TokenFactory.hs256(header: #"{"alg":256}"#)) == .malformed)
        #expect(code(TokenFactory.hs256(header: #"{"alg":"HS256","alg":"none"}"#)) == .malformed)
        #expect(code(TokenFactory.hs256(header: #"{"alg":"HS256","crit":["exp"]}"#)) == .malformed)
        #expect(code(TokenFactory.hs256(header: #""HS256""#)) == .malformed)
    }

    @Test("three parts with an empty signature are refused as unsigned")
    func emptySignature() {
        let token = TokenFactory.hs256()
        let unsigned = String(token[..<token.lastIndex(of: ".")!]) + "."
        #expect(code(unsigned) == .badSignature)
    }

    @Test("anything but three base64url parts is malformed")
    func shape() {
        let token = TokenFactory.hs256()
        #expect(code("") == .missing)
        #expect(code("abc") == .malformed)
        #expect(code("a.b") == .malformed)
        #expect(code(token + ".extra") == .malformed)
        #expect(code("..") == .malformed)
        #expect(code("!!!.@@@.###") == .malformed)
        #expect(code(" " + token) == .malformed)
        // A correctly signed token whose payload is not base64url ('+' is the standard alphabet).
        let input = TokenFactory.part(TokenFactory.header("HS256")) + ".eyJ+"
        let signed = input + "." + Base64URL.encode(HMACSHA256.authenticationCode(key: testSecret, message: Array(input.utf8)))
        #expect(code(signed) == .malformed)
        // A header that is base64url but not UTF-8 / not JSON.
        #expect(code(Base64URL.encode([0xFF, 0xFE]) + "." + TokenFactory.part("{}") + ".AAAA") == .malformed)
        #expect(code(TokenFactory.part("alg") + "." + TokenFactory.part("{}") + ".AAAA") == .malformed)
    }

    @Test("a garbage signature is malformed; a tampered one is a bad signature")
    func garbageSignature() {
        let token = TokenFactory.hs256()
        let input = String(token[..<token.lastIndex(of: ".")!])
        #expect(code(input + ".***") == .malformed)
        #expect(code(input + ".A") == .malformed)
        #expect(code(input + ".AAAA") == .badSignature)
    }

    @Test("tokens over 8 KiB are refused before any decoding")
    func oversized() {
        let padding = String(repeating: "x", count: 8 * 1024)
        let big = TokenFactory.hs256(payload: #"{"domain":"d.example","exp":1700003600,"pad":"\#(padding)"}"#)
        let error = failure { try verifier.verify(big, nowSeconds: now) }
        #expect(error?.code == .malformed)
        #expect(error?.message.contains("limit is 8192") == true)
        #expect(code(String(repeating: ".", count: 100_000)) == .malformed)
        // Just under the limit is fine.
        let fits = TokenFactory.hs256(payload: #"{"domain":"d.example","exp":1700003600,"pad":"\#(String(padding.prefix(5_900)))"}"#)
        #expect(fits.utf8.count <= JWTVerifier.maxTokenLength)
        #expect(code(fits) == nil)
    }
}
