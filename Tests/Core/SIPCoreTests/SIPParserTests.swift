import Testing
@testable import SIPCore

@Suite("Parsing SIP messages")
struct SIPParserTests {
    @Test("A well-formed INVITE parses with its start line, headers and body")
    func parsesInvite() throws {
        let message = try SIPParser.parse(sipBytes(sampleInviteLines + ["l: 4"], body: "v=0\r"))
        #expect(message.method == "INVITE")
        #expect(message.statusCode == nil)
        #expect(message.body == Array("v=0\r".utf8))
        #expect(message.callID == "call-123@example.com")
        #expect(message.cseq == SIPCSeq(number: 1, method: "INVITE"))
        try SIPParser.validateRequest(message)
    }

    @Test("A response parses its status code and multi-word reason")
    func parsesResponse() throws {
        let message = try SIPParser.parse(sipBytes(["SIP/2.0 481 Call/Transaction Does Not Exist", "Content-Length: 0"]))
        #expect(message.startLine == .response(statusCode: 481, reason: "Call/Transaction Does Not Exist"))
        #expect(message.method == nil)
    }

    @Test("Messages with bare LF line ends parse like CRLF ones")
    func parsesBareLF() throws {
        let crlf = try SIPParser.parse(sipBytes(sampleInviteLines + ["Content-Length: 3"], body: "abc"))
        let lf = try SIPParser.parse(sipBytes(sampleInviteLines + ["Content-Length: 3"], body: "abc", lineEnd: "\n"))
        #expect(crlf == lf)
    }

    @Test("Folded header lines are joined with one space")
    func unfoldsContinuationLines() throws {
        let message = try SIPParser.parse(sipBytes([
            "OPTIONS sip:srs@example.com SIP/2.0",
            "Subject: I know you're there,",
            " \tpick up the phone",
            "Content-Length: 0",
        ]))
        #expect(message.header("Subject") == "I know you're there, pick up the phone")
    }

    @Test("Leading CRLFs before a message are ignored")
    func skipsLeadingLineBreaks() throws {
        let message = try SIPParser.parse(Array("\r\n\r\n".utf8) + sipBytes(["SIP/2.0 200 OK", "Content-Length: 0"]))
        #expect(message.statusCode == 200)
    }

    @Test("Without Content-Length a UDP body runs to the end of the datagram")
    func bodyWithoutContentLength() throws {
        let message = try SIPParser.parse(sipBytes(["MESSAGE sip:a@b SIP/2.0"], body: "hello"))
        #expect(message.body == Array("hello".utf8))
    }

    @Test("Bytes after the declared Content-Length are ignored")
    func extraBytesIgnored() throws {
        let message = try SIPParser.parse(sipBytes(["MESSAGE sip:a@b SIP/2.0", "Content-Length: 2"], body: "hello"))
        #expect(message.body == Array("he".utf8))
    }

    @Test("A Content-Length larger than the data is reported with both numbers")
    func contentLengthTooLarge() {
        #expect(throws: SIPParseError(.truncatedBody, "Content-Length 500 exceeds the 5 bytes received")) {
            try SIPParser.parse(sipBytes(["MESSAGE sip:a@b SIP/2.0", "Content-Length: 500"], body: "hello"))
        }
    }

    @Test("A non-numeric or absurd Content-Length is rejected")
    func contentLengthNotANumber() {
        for value in ["abc", "-1", "99999999999999999999999999", "1 2"] {
            let error = #expect(throws: SIPParseError.self) {
                try SIPParser.parse(sipBytes(["MESSAGE sip:a@b SIP/2.0", "Content-Length: \(value)"]))
            }
            #expect(error?.code == .invalidContentLength)
        }
    }

    @Test("Conflicting Content-Length headers are rejected")
    func conflictingContentLength() {
        let error = #expect(throws: SIPParseError.self) {
            try SIPParser.parse(sipBytes(["MESSAGE sip:a@b SIP/2.0", "Content-Length: 1", "l: 2"], body: "ab"))
        }
        #expect(error?.code == .invalidContentLength)
    }

    @Test("A message larger than 64 kB is rejected")
    func oversizeRejected() {
        let big = sipBytes(["MESSAGE sip:a@b SIP/2.0"], body: String(repeating: "x", count: 70_000))
        let error = #expect(throws: SIPParseError.self) { try SIPParser.parse(big) }
        #expect(error?.code == .messageTooLarge)
    }

    @Test("A header line without a colon is rejected")
    func headerWithoutColon() {
        let error = #expect(throws: SIPParseError.self) {
            try SIPParser.parse(sipBytes(["OPTIONS sip:a@b SIP/2.0", "Bogus header line"]))
        }
        #expect(error?.code == .invalidHeader)
        #expect(error?.message == "header line \"Bogus header line\" has no colon")
    }

    @Test("Bad start lines are rejected", arguments: [
        "INVITE sip:a@b", "INVITE sip:a@b SIP/3.0", "SIP/2.0 99 Low", "SIP/2.0 2000 OK", "HELLO", "SIP/1.0 200 OK",
    ])
    func badStartLines(_ line: String) {
        let error = #expect(throws: SIPParseError.self) { try SIPParser.parse(sipBytes([line])) }
        #expect(error?.code == .invalidStartLine)
    }

    @Test("A request missing a mandatory header parses but fails validation, naming the header")
    func missingMandatoryHeader() throws {
        let lines = sampleInviteLines.filter { !$0.hasPrefix("i:") }
        let message = try SIPParser.parse(sipBytes(lines))
        #expect(throws: SIPParseError(.missingMandatoryHeader, "mandatory header Call-ID is missing")) {
            try SIPParser.validateRequest(message)
        }
    }

    @Test("A CSeq whose method differs from the request method fails validation")
    func cseqMethodMismatch() throws {
        let lines = sampleInviteLines.map { $0 == "CSeq: 1 INVITE" ? "CSeq: 1 BYE" : $0 }
        let message = try SIPParser.parse(sipBytes(lines))
        #expect(throws: SIPParseError.self) { try SIPParser.validateRequest(message) }
    }

    @Test("Serialising recomputes Content-Length and round-trips through the parser")
    func serialisationRoundTrip() throws {
        var message = try SIPParser.parse(sipBytes(sampleInviteLines + ["Content-Length: 3"], body: "abc"))
        message.body = Array("v=0\r\n".utf8)
        let reparsed = try SIPParser.parse(message.serialized())
        #expect(reparsed.body == message.body)
        #expect(reparsed.header("Content-Length") == "5")
        #expect(reparsed.headerValues("Via") == message.headerValues("Via"))
    }

    @Test("Line breaks smuggled into header values cannot inject headers when serialised")
    func serialisationSanitisesLineBreaks() throws {
        var message = SIPMessage(startLine: .response(statusCode: 200, reason: "OK"))
        message.addHeader("Subject", "hi\r\nX-Injected: yes")
        let reparsed = try SIPParser.parse(message.serialized())
        #expect(reparsed.header("X-Injected") == nil)
    }
}
