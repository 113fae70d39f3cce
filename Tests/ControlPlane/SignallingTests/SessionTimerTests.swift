import NIOCore
import SIPCore
import TestSupport
import Testing
@testable import Signalling

/// Sessions whose SRC vanished (issue 13 §6): RFC 4028 session timers and in-dialog probes.
@Suite("Session timers and probes of vanished SRCs")
struct SessionTimerTests {
    private func request(_ extra: String) throws -> SIPMessage {
        try SIPParser.parse(Array(SIPRequests.request("INVITE", extra: extra).replacingLFWithCRLF.utf8))
    }

    @Test("Negotiation follows RFC 4028 §9: the SRC's interval and refresher, ours when it asks for none, 422 below Min-SE")
    func negotiation() throws {
        let settings = SessionTimerSettings(sessionExpires: 1_800, minimum: 90)
        #expect(SessionTimer.negotiate(try request("Supported: timer\nSession-Expires: 600;refresher=uac\n"), settings: settings)
            == .timer(SessionTimer(interval: 600, refresher: .uac, peerSupports: true)))
        #expect(SessionTimer.negotiate(try request("Supported: timer\nSession-Expires: 600\n"), settings: settings)
            == .timer(SessionTimer(interval: 600, refresher: .uac, peerSupports: true)))
        #expect(SessionTimer.negotiate(try request("k: timer\nx: 600;refresher=uas\n"), settings: settings)
            == .timer(SessionTimer(interval: 600, refresher: .uas, peerSupports: true)))
        // A proxy added Session-Expires for an SRC that does not support timers: siprecd refreshes.
        #expect(SessionTimer.negotiate(try request("Session-Expires: 600;refresher=uac\n"), settings: settings)
            == .timer(SessionTimer(interval: 600, refresher: .uas, peerSupports: false)))
        #expect(SessionTimer.negotiate(try request("Supported: timer\n"), settings: settings)
            == .timer(SessionTimer(interval: 1_800, refresher: .uac, peerSupports: true)))
        #expect(SessionTimer.negotiate(try request("Supported: timer\nMin-SE: 3600\n"), settings: settings)
            == .timer(SessionTimer(interval: 3_600, refresher: .uac, peerSupports: true)))
        #expect(SessionTimer.negotiate(try request(""), settings: settings) == .none)
        #expect(SessionTimer.negotiate(try request("Supported: timer\nSession-Expires: 30\n"), settings: settings) == .tooSmall(minimum: 90))
        #expect(SessionTimer.negotiate(try request("Supported: timer\nSession-Expires: junk\n"), settings: settings) == .none)
    }

    private func invite(_ extra: String) -> String {
        SIPRequests.request("INVITE", extra: "Require: siprec\n" + extra, body: SIPRequests.multipartBody(),
                            contentType: SIPRECBody.contentType)
    }

    @Test("An INVITE with too small a Session-Expires gets 422 with Min-SE and opens nothing")
    func tooSmall() throws {
        let h = try SIPServerHarness()
        h.send(invite("Supported: timer\nSession-Expires: 30\n"))
        let sent = try h.sent()
        #expect(sent.last?.statusCode == 422)
        #expect(sent.last?.header("Min-SE") == "90")
        #expect(h.delegate.offers.isEmpty)
    }

    @Test("An SRC that stops refreshing is sent a BYE min(32, SE/3) s before its session expires (sessionExpired)")
    func expiresWithoutRefresh() throws {
        let h = try SIPServerHarness()
        h.send(invite("Supported: timer\nSession-Expires: 90;refresher=uac\n"))
        let ok = try #require(try h.sent().last)
        #expect(ok.header("Session-Expires") == "90;refresher=uac")
        #expect(ok.headerValues("Require").contains("timer"))
        let tag = try #require(ok.to?.tag)
        h.send(SIPRequests.request("ACK", branch: "z9hG4bK-ack", toTag: tag))
        h.loop.advanceTime(by: .seconds(59))
        #expect(try h.sent().isEmpty)
        h.loop.advanceTime(by: .seconds(1))
        #expect(try h.sent().first?.method == "BYE")
        #expect(h.delegate.ended.map(\.1) == [.sessionExpired])
    }

    @Test("A refresh (re-INVITE or UPDATE) restarts the session timer")
    func refreshRestartsTheTimer() throws {
        let h = try SIPServerHarness()
        h.send(invite("Supported: timer\nSession-Expires: 90;refresher=uac\n"))
        let tag = try #require(try h.sent().last?.to?.tag)
        h.send(SIPRequests.request("ACK", branch: "z9hG4bK-ack", toTag: tag))
        h.loop.advanceTime(by: .seconds(40))
        h.send(SIPRequests.request("UPDATE", branch: "z9hG4bK-up", cseq: 2, toTag: tag, extra: "Supported: timer\nSession-Expires: 90;refresher=uac\n"))
        #expect(try h.sent().last?.header("Session-Expires") == "90;refresher=uac")
        h.loop.advanceTime(by: .seconds(59))
        #expect(try h.sent().isEmpty)
        #expect(h.delegate.ended.isEmpty)
        h.loop.advanceTime(by: .seconds(1))
        #expect(try h.sent().first?.method == "BYE")
    }

    /// A session whose refresher is siprecd (Session-Expires 120, refresher=uas), answered and acknowledged;
    /// the virtual clock moved to half the interval: the first refresh siprecd sent.
    private func firstRefresh(_ h: SIPServerHarness) throws -> SIPMessage {
        h.send(invite("Supported: timer\nSession-Expires: 120;refresher=uas\n"))
        let tag = try #require(try h.sent().last?.to?.tag)
        h.send(SIPRequests.request("ACK", branch: "z9hG4bK-ack", toTag: tag))
        h.loop.advanceTime(by: .seconds(60))
        return try #require(try h.sent().first)
    }

    @Test("As the refresher siprecd sends an UPDATE at half the interval; a 481 means the SRC is gone (srcGone)")
    func siprecdRefreshes() throws {
        let h = try SIPServerHarness()
        let update = try firstRefresh(h)
        #expect(update.method == "UPDATE")
        #expect(update.header("Session-Expires") == "120;refresher=uas")
        h.reply(to: update, status: 200)
        h.loop.advanceTime(by: .seconds(60))
        let second = try #require(try h.sent().first)
        #expect(second.method == "UPDATE")
        #expect(second.cseq?.number == (update.cseq?.number ?? 0) + 1)
        h.reply(to: second, status: 481)
        #expect(try h.sent().first?.method == "BYE")
        #expect(h.delegate.ended.map(\.1) == [.srcGone])
    }

    @Test("An SRC without UPDATE (405 or 501) is refreshed with a re-INVITE; a re-INVITE refused 405 too ends the session, once")
    func refreshFallsBackToReInviteOnce() throws {
        for refusal in [405, 501] {
            let h = try SIPServerHarness()
            let update = try firstRefresh(h)
            #expect(update.method == "UPDATE")
            h.reply(to: update, status: refusal)
            let reInvite = try #require(try h.sent().first)
            #expect(reInvite.method == "INVITE" && !reInvite.body.isEmpty, "the re-INVITE carries the current SDP")
            h.reply(to: reInvite, status: 405)
            // Not a third refresh: the session ends (the SRC refreshes nothing siprecd can send).
            let after = try h.sent().filter { $0.method != "ACK" }
            #expect(after.map(\.method) == ["BYE"], "after \(refusal) then 405")
            #expect(h.delegate.ended.map(\.1) == [.sessionExpired])
        }
    }

    @Test("A probe answered 481 ends the session as srcGone; one answered 200 leaves it alone")
    func probes() throws {
        let h = try SIPServerHarness()
        h.send(SIPRequests.invite())
        let tag = try #require(try h.sent().last?.to?.tag)
        h.send(SIPRequests.request("ACK", branch: "z9hG4bK-ack", toTag: tag))
        let dialogID = try #require(h.delegate.offers.first?.dialogID)
        h.server.probe(dialogID: dialogID, because: "test")
        let options = try #require(try h.sent().first)
        #expect(options.method == "OPTIONS")
        #expect(options.to?.tag == "src-tag")
        h.reply(to: options, status: 200)
        #expect(h.delegate.ended.isEmpty)
        h.server.probe(dialogID: dialogID, because: "test")
        h.reply(to: try #require(try h.sent().first), status: 481)
        #expect(h.delegate.ended.map(\.1) == [.srcGone])
    }

    @Test("A probe with no answer ends the session after 64 × T1")
    func unansweredProbe() throws {
        let h = try SIPServerHarness()
        h.send(SIPRequests.invite())
        let tag = try #require(try h.sent().last?.to?.tag)
        h.send(SIPRequests.request("ACK", branch: "z9hG4bK-ack", toTag: tag))
        h.server.probe(dialogID: try #require(h.delegate.offers.first?.dialogID), because: "test")
        h.loop.advanceTime(by: .seconds(31))
        #expect(h.delegate.ended.isEmpty)
        h.loop.advanceTime(by: .seconds(1))
        #expect(h.delegate.ended.map(\.1) == [.srcGone])
    }
}
