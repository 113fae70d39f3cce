import Testing
import TestSupport
@testable import SIPCore

/// Hostile and garbage input must produce errors, never crashes.
@Suite("Surviving garbage input")
struct SIPRobustnessTests {
    @Test("Empty input, a lone CRLF and 10k of 0xFF are errors, not crashes")
    func obviousGarbage() {
        for input in [[], Array("\r\n".utf8), [UInt8](repeating: 0xFF, count: 10_000), [0x00], Array("\n\n\n".utf8)] {
            #expect(throws: SIPParseError.self) { try SIPParser.parse(input) }
        }
    }

    @Test("Random bytes never crash the SIP, multipart or SDP parsers")
    func randomBytes() {
        var generator = SeededGenerator(seed: 7)
        for round in 0..<2_000 {
            let length = Int(generator.next() % 600)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if round % 3 == 0 { bytes = Array("INVITE sip:a@b SIP/2.0\r\n".utf8) + bytes }
            if round % 5 == 0 { bytes = Array("v=0\r\nm=".utf8) + bytes }
            _ = try? SIPParser.parse(bytes)
            _ = try? MultipartParser.parse(bytes, boundary: "b")
            _ = try? SDPSession.parse(bytes)
            var framer = SIPStreamFramer()
            framer.append(bytes)
            _ = try? framer.next()
        }
    }

    @Test("Mutated copies of a valid INVITE never crash the parsers")
    func mutatedInvite() {
        let valid = sipBytes(sampleInviteLines + ["Content-Length: 0"])
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<2_000 {
            var bytes = valid
            for _ in 0..<4 {
                let index = Int(generator.next() % UInt64(bytes.count))
                bytes[index] = [0x3A, 0x3B, 0x3C, 0x3E, 0x22, 0x5B, 0x5D, 0x0D, 0x0A, 0x20, 0xFF][Int(generator.next() % 11)]
            }
            if let message = try? SIPParser.parse(bytes) {
                _ = (message.via, message.from, message.to, message.contact, message.cseq, message.requestURI)
                _ = try? SIPParser.validateRequest(message)
                _ = SIPResponseBuilder.response(to: message, statusCode: 400, toTag: "t")
            }
        }
    }

    @Test("Hostile SDP values are errors: huge or negative port, missing fields, 10k m-lines")
    func hostileSDP() {
        let cases = [
            "v=0\r\nm=audio 99999999999999999999 RTP/AVP 0\r\n",
            "v=0\r\nm=audio -5 RTP/AVP 0\r\n",
            "v=0\r\nm=audio 5000\r\n",
            "v=0\r\no=- 1\r\n",
            "v=0\r\nc=IN IP4\r\n",
            "hello\r\n",
            "",
            "v=0\r\n" + String(repeating: "m=audio 1 RTP/AVP 0\r\n", count: 10_000),
            "v=0\r\n" + String(repeating: "m=audio 1 RTP/AVP 0\r\n", count: 65),
        ]
        for text in cases {
            #expect(throws: SIPParseError.self) { try SDPSession.parse(Array(text.utf8)) }
        }
    }
}
