import SIPCore
import TestSupport

/// SIPREC multipart bodies captured from real equipment (`VendorBodies`), parsed.
enum Fixture {
    /// The raw bytes of a fixture file; empty when missing (tests then fail on content).
    static func bytes(_ name: String) -> [UInt8] {
        VendorBodies.bytes(name) ?? []
    }

    /// The boundary of a fixture: the text after `--` on the first boundary line.
    static func boundary(of body: [UInt8]) -> String {
        for line in String(decoding: body, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line[...]
            if trimmed.hasPrefix("--") { return String(trimmed.dropFirst(2)) }
        }
        return ""
    }

    /// The fixture split into parts.
    static func parts(_ name: String) throws -> [MIMEPart] {
        let body = bytes(name)
        return try MultipartParser.parse(body, boundary: boundary(of: body))
    }

    /// The SDP part of a fixture, parsed.
    static func sdp(_ name: String) throws -> SDPSession {
        let parts = try parts(name)
        guard let part = parts.first(where: { $0.contentType?.mediaType == "application/sdp" }) else {
            throw SIPParseError(.invalidSDP, "fixture \(name) has no SDP part")
        }
        return try SDPSession.parse(part.body)
    }
}

/// Builds wire bytes from lines joined by CRLF, ending with the blank line.
func sipBytes(_ lines: [String], body: String = "", lineEnd: String = "\r\n") -> [UInt8] {
    Array((lines.joined(separator: lineEnd) + lineEnd + lineEnd + body).utf8)
}

/// A well-formed INVITE used across tests.
let sampleInviteLines = [
    "INVITE sip:srs@[2001:db8::5]:5070;transport=tcp SIP/2.0",
    "Via: SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bK-a1, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK-b2;rport",
    "v: SIP/2.0/UDP proxy.example.com:5062;branch=z9hG4bK-c3;received=192.0.2.9",
    "Max-Forwards: 70",
    "From: \"Smith, John Jr.\" <sip:src@example.com>;tag=from-1",
    "To: <sip:srs@example.com>",
    "i: call-123@example.com",
    "CSeq: 1 INVITE",
    "m: <sip:src@[2001:db8::1]:5060;transport=tcp>;+sip.src",
    "Content-Type: application/sdp",
]
