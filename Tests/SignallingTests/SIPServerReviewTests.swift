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
