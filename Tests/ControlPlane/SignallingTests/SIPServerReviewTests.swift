import NIOCore
import SIPCore
import Testing
@testable import Signalling

@Suite("SIP server: retransmissions, late ACKs and SDP versions")
struct SIPServerReviewTests {
    func established(_ h: SIPServerHarness) throws -> String {
        h.send(SIPRequests.invite())
        let tag = try #require(try h.sent().last?.to?.tag)
        h.send(SIPRequests.request("ACK", branch: "z9hG4bK-ack", toTag: tag))
        return tag
    }

    @Test("a copy of the INVITE arriving after the ACK is absorbed, not taken for a second session")
    func lateInviteCopy() throws {
        let h = try SIPServerHarness()
        _ = try established(h)
        h.send(SIPRequests.invite())
        #expect(try h.sentCodes() == [])
        #expect(h.delegate.offers.count == 1)
    }

    @Test("a retransmitted ACK of the first INVITE does not stop the 200 OK of a later re-INVITE")
    func oldAckDoesNotMatchReInvite() throws {
        let h = try SIPServerHarness()
        let tag = try established(h)
        h.send(SIPRequests.request("INVITE", branch: "z9hG4bK-re", cseq: 2, toTag: tag, body: SIPRequests.sdp,
                                   contentType: "application/sdp"))
        #expect(try h.sentCodes() == [200])
        h.send(SIPRequests.request("ACK", branch: "z9hG4bK-ack", cseq: 1, toTag: tag))
        h.loop.advanceTime(by: .milliseconds(500))
        #expect(try h.sentCodes() == [200], "the re-INVITE's 200 OK must still be retransmitted")
        h.send(SIPRequests.request("ACK", branch: "z9hG4bK-ack2", cseq: 2, toTag: tag))
        h.loop.advanceTime(by: .seconds(10))
        #expect(try h.sentCodes() == [])
    }

    @Test("a BYE that arrives before the ACK ends the 200 OK retransmissions too")
    func byeBeforeAck() throws {
        let h = try SIPServerHarness()
        h.send(SIPRequests.invite())
        let tag = try #require(try h.sent().last?.to?.tag)
        h.send(SIPRequests.request("BYE", branch: "z9hG4bK-bye", cseq: 2, toTag: tag))
        #expect(try h.sentCodes() == [200])
        h.loop.advanceTime(by: .seconds(40))
        let later = try h.sent()
        #expect(later.isEmpty, "nothing may be sent after the BYE: \(later.map(\.startLine))")
        #expect(h.delegate.ended.map(\.1) == [.bye])
    }

    @Test("the SDP o= version stays for an identical re-INVITE and goes up by one when the SDP changes")
    func sdpVersion() throws {
        let h = try SIPServerHarness()
        let tag = try established(h)
        func reinvite(_ cseq: Int, _ sdp: String) throws -> String? {
            h.send(SIPRequests.request("INVITE", branch: "z9hG4bK-v\(cseq)", cseq: cseq, toTag: tag, body: sdp,
                                       contentType: "application/sdp"))
            let ok = try #require(try h.sent().last)
            h.send(SIPRequests.request("ACK", branch: "z9hG4bK-va\(cseq)", cseq: cseq, toTag: tag))
            return try SDPSession.parse(ok.body).origin?.sessionVersion
        }
        #expect(try reinvite(2, SIPRequests.sdp) == "1")
        #expect(try reinvite(3, SIPRequests.sdp.replacingOccurrences("a=sendonly", with: "a=inactive")) == "2")
        #expect(try reinvite(4, SIPRequests.sdp.replacingOccurrences("a=sendonly", with: "a=inactive")) == "2")
        #expect(try reinvite(5, SIPRequests.sdp) == "3")
    }
}

@Suite("SIP server: delayed offer")
struct SIPServerDelayedOfferTests {
    @Test("a re-INVITE without SDP gets our SDP as the offer, and the SRC's answer in the ACK is applied")
    func answerInAck() throws {
        let h = try SIPServerHarness()
        h.send(SIPRequests.invite())
        let tag = try #require(try h.sent().last?.to?.tag)
        h.send(SIPRequests.request("ACK", branch: "z9hG4bK-ack", toTag: tag))
        h.send(SIPRequests.request("INVITE", branch: "z9hG4bK-re", cseq: 2, toTag: tag))
        let ok = try #require(try h.sent().last)
        #expect(ok.statusCode == 200 && ok.contentType?.mediaType == "application/sdp")
        let updatesBefore = h.delegate.updates.count
        let hold = SIPRequests.sdp.replacingOccurrences("a=sendonly", with: "a=inactive")
        h.send(SIPRequests.request("ACK", branch: "z9hG4bK-ack2", cseq: 2, toTag: tag, body: hold, contentType: "application/sdp"))
        #expect(h.delegate.updates.count == updatesBefore + 1)
        #expect(h.delegate.updates.last?.sdp?.media.allSatisfy { $0.direction == .inactive } == true)
    }
}

@Suite("SIP server: our BYE")
struct SIPServerByeTests {
    @Test("our BYE over UDP is retransmitted (Timer E) until the SRC answers it")
    func byeRetransmission() throws {
        let h = try SIPServerHarness()
        h.send(SIPRequests.invite())
        _ = try h.sent()
        h.loop.advanceTime(by: .seconds(32))  // no ACK: the session is ended with a BYE
        let bye = try #require(try h.sent().first { $0.method == "BYE" })
        h.loop.advanceTime(by: .milliseconds(500))
        #expect(try h.sent().filter { $0.method == "BYE" }.count == 1, "BYE not retransmitted after T1")
        let ok = SIPResponseBuilder.response(to: bye, statusCode: 200, toTag: nil)
        h.server.receive(bytes: ok.serialized(), flow: h.flow)
        h.loop.advanceTime(by: .seconds(10))
        #expect(try h.sent().filter { $0.method == "BYE" }.isEmpty, "BYE still retransmitted after its 200 OK")
    }
}
