import NIOCore
import SIPCore
import Testing
@testable import Signalling

@Suite("SIP server as a Session Recording Server")
struct SIPServerTests {
    @Test("a SIPREC INVITE gets 100 Trying then a plain-SDP 200 OK with +sip.srs, recvonly and labels echoed")
    func answersInvite() throws {
        let h = try SIPServerHarness()
        h.send(SIPRequests.invite())
        let sent = try h.sent()
        #expect(sent.compactMap(\.statusCode) == [100, 200])
        let ok = try #require(sent.last)
        #expect(ok.contentType?.mediaType == "application/sdp")
        #expect(ok.header("Contact")?.contains("+sip.srs") == true)
        #expect(ok.to?.tag != nil)
        let sdp = try SDPSession.parse(ok.body)
        #expect(sdp.media.count == 2)
        #expect(sdp.media.map(\.label) == ["1", "2"])
        #expect(sdp.media.allSatisfy { $0.direction == .recvonly })
        let offer = try #require(h.delegate.offers.first)
        #expect(offer.siprecIndications == ["Require: siprec", "+sip.src", "metadata"])
        #expect(offer.metadata?.participants.count == 2)
    }

    @Test("a retransmitted INVITE is answered again without a second recording")
    func absorbsRetransmittedInvite() throws {
        let h = try SIPServerHarness()
        h.send(SIPRequests.invite())
        _ = try h.sent()
        h.send(SIPRequests.invite())
        #expect(try h.sentCodes() == [200])
        #expect(h.delegate.offers.count == 1)
    }

    @Test("without an ACK the 200 OK is re-sent with doubling intervals, and after 32 s the session is ended with a BYE")
    func retransmitsUntilAckThenGivesUp() throws {
        let h = try SIPServerHarness()
        h.send(SIPRequests.invite())
        _ = try h.sent()
        h.loop.advanceTime(by: .milliseconds(500))
        #expect(try h.sentCodes() == [200])
        h.loop.advanceTime(by: .milliseconds(999))
        #expect(try h.sentCodes() == [])
        h.loop.advanceTime(by: .milliseconds(1))
        #expect(try h.sentCodes() == [200])
        h.loop.advanceTime(by: .seconds(31))
        let last = try h.sent()
        #expect(last.contains { $0.method == "BYE" })
        #expect(h.delegate.ended.map(\.1) == [.missingAck])
    }

    @Test("the ACK stops 200 OK retransmission and BYE ends the session")
    func ackThenBye() throws {
        let h = try SIPServerHarness()
        h.send(SIPRequests.invite())
        let tag = try #require(try h.sent().last?.to?.tag)
        h.send(SIPRequests.request("ACK", branch: "z9hG4bK-ack", toTag: tag))
        h.loop.advanceTime(by: .seconds(40))
        #expect(try h.sentCodes() == [])
        h.send(SIPRequests.request("BYE", branch: "z9hG4bK-bye", cseq: 2, toTag: tag))
        #expect(try h.sentCodes() == [200])
        #expect(h.delegate.ended.map(\.1) == [.bye])
    }

    @Test("CANCEL while the recording is being set up gets 200, the INVITE gets 487, and a late accept is undone")
    func cancelBeforeAnswer() throws {
        let h = try SIPServerHarness()
        h.delegate.holdDecisions = true
        h.send(SIPRequests.invite())
        #expect(try h.sentCodes() == [100])
        h.send(SIPRequests.request("CANCEL", branch: "z9hG4bK-1"))
        #expect(Set(try h.sentCodes()) == [200, 487])
        let respond = try #require(h.delegate.held.first)
        respond(.accept(answer: SDPSession()))
        #expect(try h.sentCodes() == [])
        #expect(h.delegate.ended.map(\.1) == [.cancelled])
    }

    @Test("a re-INVITE with a=inactive reaches the recording service as an update and is answered with SDP")
    func reinviteInactive() throws {
        let h = try SIPServerHarness()
        h.send(SIPRequests.invite())
        let tag = try #require(try h.sent().last?.to?.tag)
        h.send(SIPRequests.request("ACK", branch: "z9hG4bK-ack", toTag: tag))
        let inactive = SIPRequests.sdp.replacingOccurrences("a=sendonly", with: "a=inactive")
        h.send(SIPRequests.request("INVITE", branch: "z9hG4bK-re", cseq: 2, toTag: tag, body: inactive, contentType: "application/sdp"))
        let sent = try h.sent()
        // Answered at once, so no 100 Trying is needed (RFC 3261 §17.2.1: only past 200 ms).
        #expect(sent.compactMap(\.statusCode) == [200])
        let sdp = try SDPSession.parse(try #require(sent.last).body)
        #expect(sdp.media.allSatisfy { $0.direction == .inactive })
        #expect(h.delegate.updates.first?.sdp?.media.first?.direction == .inactive)
        #expect(h.delegate.offers.count == 1)
    }

    @Test("OPTIONS is answered with Allow; unknown methods get 501, MESSAGE 405, BYE for no dialog 481")
    func methods() throws {
        let h = try SIPServerHarness()
        h.send(SIPRequests.request("OPTIONS", branch: "z9hG4bK-o"))
        let options = try h.sent()
        #expect(options.first?.statusCode == 200)
        #expect(options.first?.header("Allow")?.contains("INVITE") == true)
        h.send(SIPRequests.request("FOO", branch: "z9hG4bK-f"))
        #expect(try h.sentCodes() == [501])
        h.send(SIPRequests.request("MESSAGE", branch: "z9hG4bK-m"))
        #expect(try h.sentCodes() == [405])
        h.send(SIPRequests.request("BYE", branch: "z9hG4bK-b", toTag: "nope"))
        #expect(try h.sentCodes() == [481])
    }

    @Test("Require with an unknown option tag gets 420 naming it")
    func unknownRequire() throws {
        let h = try SIPServerHarness()
        h.send(SIPRequests.request("INVITE", extra: "Require: siprec, 100rel\n", body: SIPRequests.sdp, contentType: "application/sdp"))
        let sent = try h.sent()
        #expect(sent.first?.statusCode == 420)
        #expect(sent.first?.header("Unsupported") == "100rel")
    }

    @Test("a broken multipart body gets 400 with a Warning that names the problem, and opens no recording")
    func refusals() throws {
        let h = try SIPServerHarness()
        h.send(SIPRequests.request("INVITE", callID: "c2", branch: "z9hG4bK-b", body: "garbage",
                                   contentType: "multipart/mixed;boundary=XYZ"))
        let sent = try h.sent()
        #expect(sent.map(\.statusCode) == [400])
        let warning = sent.first?.header("Warning") ?? ""
        #expect(warning.hasPrefix("399 siprecd \"malformed multipart body"))
        #expect(h.delegate.offers.isEmpty)
    }

    @Test("an INVITE without SDP is a delayed offer: the 200 OK carries the offer and the ACK's SDP is the answer")
    func delayedOffer() throws {
        let h = try SIPServerHarness()
        h.send(SIPRequests.request("INVITE", branch: "z9hG4bK-d", extra: "Require: siprec\n"))
        let sent = try h.sent()
        #expect(sent.map(\.statusCode) == [100, 200])
        #expect(h.delegate.offers.count == 1 && h.delegate.offers.first?.sdp == nil)
        let toTag = try #require(sent.last?.to?.tag)
        h.send(SIPRequests.request("ACK", branch: "z9hG4bK-e", toTag: toTag, body: SIPRequests.sdp, contentType: "application/sdp"))
        #expect(h.delegate.updates.count == 1)
        #expect(h.delegate.updates.first?.sdp?.media.count == 2)
        #expect(h.delegate.ended.isEmpty)
    }

    @Test("a delayed offer whose ACK has no answer ends the session with a BYE and says why")
    func delayedOfferWithoutAnswer() throws {
        let h = try SIPServerHarness()
        h.send(SIPRequests.request("INVITE", branch: "z9hG4bK-d", extra: "Require: siprec\n"))
        let toTag = try #require(try h.sent().last?.to?.tag)
        h.send(SIPRequests.request("ACK", branch: "z9hG4bK-e", toTag: toTag))
        let sent = try h.sent()
        #expect(sent.first?.method == "BYE")
        #expect(h.delegate.ended.map(\.1) == [.noAnswerInAck])
    }

    @Test("an INVITE the recording service refuses gets the reason in a Warning header (RFC 3261 §20.43)")
    func refusalWarning() throws {
        let h = try SIPServerHarness()
        h.delegate.refusal = .reject(statusCode: 488, reason: "Not Acceptable Here - no audio stream siprecd can record was offered", warningCode: 305)
        h.send(SIPRequests.invite())
        let final = try #require(try h.sent().last)
        #expect(final.statusCode == 488)
        #expect(final.header("Warning") == "305 siprecd \"no audio stream siprecd can record was offered\"")
    }

    @Test("a request with a broken Content-Length still gets a 400 that names the problem; garbage gets nothing")
    func malformed() throws {
        let h = try SIPServerHarness()
        let broken = SIPRequests.request("OPTIONS", branch: "z9hG4bK-x").replacingOccurrences("Content-Length: 0", with: "Content-Length: 500")
        h.send(broken)
        let sent = try h.sent()
        #expect(sent.first?.statusCode == 400)
        #expect(sent.first.map { "\($0.startLine)".contains("Content-Length") } == true)
        h.server.receive(bytes: [0xFF, 0x00, 0x13, 0x37], flow: h.flow)
        h.send("\n\n")
        #expect(try h.sentCodes() == [])
        #expect(h.server.statistics.malformed == 2)
    }
}

extension String {
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
