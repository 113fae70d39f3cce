import Testing
@testable import SIPCore

@Suite("Building responses")
struct SIPResponseBuilderTests {
    let invite: SIPMessage = {
        (try? SIPParser.parse(sipBytes(sampleInviteLines + ["Content-Length: 0"])))
            ?? SIPMessage(startLine: .request(method: "X", uri: "sip:x"))
    }()

    @Test("A 200 copies every Via in order, From, Call-ID and CSeq, and tags the To")
    func copiesDialogHeaders() throws {
        let response = SIPResponseBuilder.response(
            to: invite, statusCode: 200, toTag: "srs-tag",
            extraHeaders: [SIPHeader(name: "Contact", value: "<sip:srs@192.0.2.1>")],
            body: Array("v=0\r\n".utf8), contentType: "application/sdp")
        #expect(response.startLine == .response(statusCode: 200, reason: "OK"))
        #expect(response.headerValues("Via") == invite.headerValues("Via"))
        #expect(response.header("From") == invite.header("From"))
        #expect(response.header("To") == "<sip:srs@example.com>;tag=srs-tag")
        #expect(response.to?.tag == "srs-tag")
        #expect(response.callID == "call-123@example.com")
        #expect(response.header("CSeq") == "1 INVITE")
        #expect(response.header("Contact") == "<sip:srs@192.0.2.1>")
        #expect(response.contentType?.mediaType == "application/sdp")

        let reparsed = try SIPParser.parse(response.serialized())
        #expect(reparsed.header("Content-Length") == "5")
        #expect(reparsed.via.count == 3)
    }

    @Test("An existing To tag is kept, and no tag is added when none is given")
    func keepsExistingTag() {
        var request = invite
        request.setHeader("To", "<sip:srs@example.com>;tag=existing")
        let tagged = SIPResponseBuilder.response(to: request, statusCode: 200, toTag: "new")
        #expect(tagged.to?.tag == "existing")
        let trying = SIPResponseBuilder.response(to: invite, statusCode: 100, toTag: nil)
        #expect(trying.to?.tag == nil)
        #expect(trying.startLine == .response(statusCode: 100, reason: "Trying"))
    }

    @Test("A 400 can be built for a request missing headers")
    func badRequestFromBrokenMessage() {
        let broken = invite.removingHeaders("CSeq").removingHeaders("From")
        let response = SIPResponseBuilder.response(to: broken, statusCode: 400, reason: "Missing CSeq", toTag: "t")
        #expect(response.startLine == .response(statusCode: 400, reason: "Missing CSeq"))
        #expect(response.header("CSeq") == nil)
        #expect(response.via.count == 3)
    }

    @Test("Reason phrases come from the standard table, with class fallbacks")
    func reasonPhrases() {
        #expect(SIPResponseBuilder.reasonPhrase(488) == "Not Acceptable Here")
        #expect(SIPResponseBuilder.reasonPhrase(481) == "Call/Transaction Does Not Exist")
        #expect(SIPResponseBuilder.reasonPhrase(499) == "Client Error")
    }
}
