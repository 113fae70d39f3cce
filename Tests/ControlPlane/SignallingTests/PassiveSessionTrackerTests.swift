import SIPCore
import Testing
@testable import Signalling

@Suite("Passive session tracker (mirror port and replay)")
struct PassiveSessionTrackerTests {
    typealias Script = PassiveCallScript

    @Test("a SIPREC call answered 200 OK starts one recording whose streams go to the SRS's answered address, labelled from the offer")
    func siprecCallStarts() throws {
        var h = PassiveSessionTrackerHarness()
        #expect(try h.fromSRC(Script.siprecInvite(), at: 100).isEmpty)
        #expect(try h.fromSRS(Script.provisional(), at: 200).isEmpty)
        let events = try h.fromSRS(Script.ok(sdp: Script.srsAnswer()), at: 300)

        try #require(events.count == 1)
        let session = try #require(events[0].started)
        #expect(events[0].nanos == 300)
        #expect(session.callID == "rec-1")
        #expect(session.source == Script.src)
        #expect(session.isSiprec)
        #expect(session.siprecIndications.contains("Require: siprec"))
        #expect(session.siprecIndications.contains("metadata"))
        let metadata = try #require(session.metadata)
        #expect(metadata.participants.count == 2)
        #expect(session.metadataError == nil)
        #expect(session.offer.media.count == 2)
        #expect(session.answer.media.count == 2)

        try #require(session.streams.count == 2)
        let (first, second) = (session.streams[0], session.streams[1])
        #expect(first.mLineIndex == 0 && second.mLineIndex == 1)
        #expect(first.destinationAddress == "10.0.0.2" && first.destinationPort == 40000)
        #expect(second.destinationAddress == "10.0.0.2" && second.destinationPort == 40002)
        #expect(first.label == "1" && second.label == "2")
        #expect(first.active && second.active)
        #expect(first.plainCallRole == nil && second.plainCallRole == nil)
        #expect(first.receiverMedia.formats == ["0", "101"])
        #expect(h.tracker.activeCallIDs == ["rec-1"])
    }

    @Test("an INVITE rejected with 486 Busy Here starts no recording")
    func busyStartsNothing() throws {
        var h = PassiveSessionTrackerHarness()
        _ = try h.fromSRC(Script.siprecInvite(), at: 100)
        _ = try h.fromSRS(Script.provisional(), at: 200)
        #expect(try h.fromSRS(Script.parse(Script.responseText(486, "Busy Here", callID: "rec-1", cseq: 1)), at: 300).isEmpty)
        #expect(h.tracker.activeCallIDs.isEmpty)
        // A late 200 OK (the transaction is over) and a BYE change nothing either.
        #expect(try h.fromSRS(Script.ok(sdp: Script.srsAnswer()), at: 400).isEmpty)
        #expect(try h.fromSRC(Script.request("BYE", cseq: 2), at: 500).isEmpty)
    }

    @Test("an INVITE cancelled before it is answered starts no recording")
    func cancelStartsNothing() throws {
        var h = PassiveSessionTrackerHarness()
        _ = try h.fromSRC(Script.siprecInvite(), at: 100)
        _ = try h.fromSRS(Script.provisional(), at: 200)
        #expect(try h.fromSRC(Script.request("CANCEL", cseq: 1), at: 300).isEmpty)
        #expect(try h.fromSRS(Script.ok(method: "CANCEL"), at: 310).isEmpty)
        #expect(try h.fromSRS(Script.parse(Script.responseText(487, "Request Terminated", callID: "rec-1", cseq: 1)), at: 320).isEmpty)
        #expect(h.tracker.activeCallIDs.isEmpty)
    }

    @Test("a CANCEL that crosses the 200 OK on the wire still leaves the established call recorded")
    func cancelCrossingTheAnswer() throws {
        // RFC 3261 §9.2: a CANCEL that reaches the UAS after it sent 200 OK has no effect; the call is up
        // (the caller ACKs and later sends BYE). The tracker forgets the offer on CANCEL, so the 200 OK
        // that follows is dropped and the established call is never recorded.
        var h = PassiveSessionTrackerHarness()
        _ = try h.fromSRC(Script.siprecInvite(), at: 100)
        _ = try h.fromSRC(Script.request("CANCEL", cseq: 1), at: 200)
        let events = try h.fromSRS(Script.ok(sdp: Script.srsAnswer()), at: 210)
        #expect(events.count == 1)
        #expect(events.first?.started != nil)
    }

    @Test("a re-INVITE answered a=inactive updates the recording, from the re-INVITE's time on, with every stream inactive, keeping its metadata")
    func reInviteInactive() throws {
        var h = PassiveSessionTrackerHarness()
        _ = try h.establishSiprec()
        #expect(try h.fromSRC(Script.reInvite(cseq: 2, direction: "inactive"), at: 2_000).isEmpty)
        let events = try h.fromSRS(Script.ok(cseq: 2, sdp: Script.srsAnswer(direction: "inactive")), at: 2_100)

        try #require(events.count == 1)
        let session = try #require(events[0].updated)
        // The change takes effect when the SRS got the re-INVITE, not when it answered (as in active mode).
        #expect(events[0].nanos == 2_000)
        #expect(session.callID == "rec-1")
        #expect(session.streams.count == 2)
        #expect(session.streams.allSatisfy { !$0.active })
        #expect(session.streams.map(\.destinationPort) == [40000, 40002])
        #expect(session.metadata != nil)
        #expect(session.isSiprec)
        #expect(h.tracker.activeCallIDs == ["rec-1"])

        // Resumed: active again.
        _ = try h.fromSRC(Script.reInvite(cseq: 3, direction: "sendonly"), at: 3_000)
        let resumed = try h.fromSRS(Script.ok(cseq: 3, sdp: Script.srsAnswer()), at: 3_100)
        #expect(resumed.first?.updated?.streams.allSatisfy(\.active) == true)
    }

    @Test("an UPDATE answered a=inactive updates the recording like a re-INVITE does")
    func updateInactive() throws {
        // ObservedEvent.updated is documented as "A re-INVITE/UPDATE was answered", and the tracker stores
        // the UPDATE's offer, but the response guard requires `CSeq: n INVITE`, so the 200 OK to the
        // UPDATE (`CSeq: n UPDATE`) is never matched.
        var h = PassiveSessionTrackerHarness()
        _ = try h.establishSiprec()
        let update = try Script.parse(Script.requestText("UPDATE", callID: "rec-1", cseq: 2,
                                                         body: Script.srcOffer(direction: "inactive"),
                                                         contentType: "application/sdp"))
        _ = h.fromSRC(update, at: 2_000)
        let events = try h.fromSRS(Script.ok(cseq: 2, method: "UPDATE", sdp: Script.srsAnswer(direction: "inactive")), at: 2_100)
        #expect(events.count == 1)
        #expect(events.first?.updated?.streams.allSatisfy { !$0.active } == true)
    }

    @Test("a BYE ends the recording at the BYE's time")
    func byeEnds() throws {
        var h = PassiveSessionTrackerHarness()
        _ = try h.establishSiprec()
        let events = try h.fromSRC(Script.request("BYE", cseq: 2), at: 9_000)
        try #require(events.count == 1)
        #expect(events[0].endedCallID == "rec-1")
        #expect(events[0].nanos == 9_000)
        #expect(h.tracker.activeCallIDs.isEmpty)
        // A retransmitted BYE does not end it twice.
        #expect(try h.fromSRC(Script.request("BYE", cseq: 2), at: 9_500).isEmpty)
    }

    @Test("two calls with different Call-IDs, interleaved on the wire, are started and ended independently")
    func twoCallsIndependent() throws {
        var h = PassiveSessionTrackerHarness()
        _ = try h.fromSRC(Script.siprecInvite(callID: "rec-1"), at: 100)
        _ = try h.fromSRC(Script.siprecInvite(callID: "rec-2"), at: 110)
        let second = try h.fromSRS(Script.ok(callID: "rec-2", sdp: Script.srsAnswer(ports: (41000, 41002))), at: 120)
        let first = try h.fromSRS(Script.ok(callID: "rec-1", sdp: Script.srsAnswer()), at: 130)

        #expect(second.first?.started?.callID == "rec-2")
        #expect(second.first?.started?.streams.map(\.destinationPort) == [41000, 41002])
        #expect(first.first?.started?.callID == "rec-1")
        #expect(first.first?.started?.streams.map(\.destinationPort) == [40000, 40002])
        #expect(Set(h.tracker.activeCallIDs) == ["rec-1", "rec-2"])

        let bye = try h.fromSRC(Script.request("BYE", callID: "rec-1", cseq: 2), at: 200)
        #expect(bye.map(\.endedCallID) == ["rec-1"])
        #expect(h.tracker.activeCallIDs == ["rec-2"])
    }

    @Test("a plain SIP call is recorded when plain calls are enabled, as a caller and a callee stream per m-line")
    func plainCallRecorded() throws {
        var h = PassiveSessionTrackerHarness(recordPlainCalls: true)
        _ = try h.fromCaller(Script.plainInvite(), at: 100)
        let events = try h.fromCallee(Script.plainOK(), at: 200)

        try #require(events.count == 1)
        let session = try #require(events[0].started)
        #expect(!session.isSiprec)
        #expect(session.siprecIndications.isEmpty)
        #expect(session.metadata == nil)
        #expect(session.source == Script.caller)
        try #require(session.streams.count == 2)
        let caller = try #require(session.streams.first { $0.plainCallRole == "caller" })
        let callee = try #require(session.streams.first { $0.plainCallRole == "callee" })
        // The caller's audio is sent to the address the callee answered, and the other way round.
        #expect(caller.destinationAddress == "10.0.1.2" && caller.destinationPort == 8000)
        #expect(callee.destinationAddress == "10.0.1.1" && callee.destinationPort == 7000)
        #expect(caller.mLineIndex == 0 && callee.mLineIndex == 0)
        #expect(caller.active && callee.active)
        #expect(h.tracker.ignored.isEmpty)
    }

    @Test("a plain SIP call is not recorded when plain calls are disabled, and the reason is listed")
    func plainCallIgnored() throws {
        var h = PassiveSessionTrackerHarness(recordPlainCalls: false)
        _ = try h.fromCaller(Script.plainInvite(), at: 100)
        #expect(try h.fromCallee(Script.plainOK(), at: 200).isEmpty)
        #expect(h.tracker.activeCallIDs.isEmpty)
        try #require(h.tracker.ignored.count == 1)
        #expect(h.tracker.ignored[0].callID == "plain-1")
        #expect(h.tracker.ignored[0].reason.contains("not a SIPREC session"))
        // A SIPREC call on the same tracker is still recorded.
        let siprec = try h.establishSiprec()
        #expect(siprec.compactMap(\.started).count == 1)
    }

    @Test("a plain call put on hold by the callee keeps each stream's role tied to the right party")
    func plainCallCalleeReInvite() throws {
        // A re-INVITE from the callee carries the callee's offer and the caller's answer; the caller's audio
        // must still be the stream sent to the callee (10.0.1.2), or the parties would swap channels mid-call.
        var h = PassiveSessionTrackerHarness(recordPlainCalls: true)
        _ = try h.fromCaller(Script.plainInvite(), at: 100)
        _ = try h.fromCallee(Script.plainOK(), at: 200)
        let holdOffer = Script.calleeAnswer.replacing("a=sendrecv", with: "a=sendonly")
        let holdAnswer = Script.callerOffer.replacing("a=sendrecv", with: "a=recvonly")
        let reInvite = try Script.parse(Script.requestText("INVITE", callID: "plain-1", cseq: 1, from: "10.0.1.2",
                                                           to: "10.0.1.1", body: holdOffer, contentType: "application/sdp"))
        _ = h.fromCallee(reInvite, at: 300)
        let answer = try Script.parse(Script.responseText(200, "OK", callID: "plain-1", cseq: 1, from: "10.0.1.2", to: "10.0.1.1",
                                                          body: holdAnswer, contentType: "application/sdp"))
        let events = h.fromCaller(answer, at: 310)
        let session = try #require(events.first?.updated)
        let caller = try #require(session.streams.first { $0.plainCallRole == "caller" })
        #expect(caller.destinationAddress == "10.0.1.2")
    }

    @Test("a 200 OK whose CSeq does not match the pending INVITE is ignored; the matching one starts the call")
    func mismatchedCSeqIgnored() throws {
        var h = PassiveSessionTrackerHarness()
        _ = try h.fromSRC(Script.siprecInvite(cseq: 5), at: 100)
        #expect(try h.fromSRS(Script.ok(cseq: 4, sdp: Script.srsAnswer()), at: 200).isEmpty)
        #expect(try h.fromSRS(Script.ok(cseq: 5, method: "OPTIONS", sdp: Script.srsAnswer()), at: 210).isEmpty)
        #expect(h.tracker.activeCallIDs.isEmpty)
        let events = try h.fromSRS(Script.ok(cseq: 5, sdp: Script.srsAnswer()), at: 300)
        #expect(events.first?.started?.callID == "rec-1")
    }

    @Test("endAll ends every established call (sorted by Call-ID) and forgets unanswered INVITEs")
    func endAllEndsEstablished() throws {
        var h = PassiveSessionTrackerHarness()
        _ = try h.establishSiprec(callID: "rec-b", at: 100)
        _ = try h.establishSiprec(callID: "rec-a", at: 200)
        _ = try h.fromSRC(Script.siprecInvite(callID: "rec-pending"), at: 300)

        let events = h.tracker.endAll(atNanos: 5_000)
        #expect(events.map(\.endedCallID) == ["rec-a", "rec-b"])
        #expect(events.allSatisfy { $0.nanos == 5_000 })
        #expect(h.tracker.activeCallIDs.isEmpty)
        #expect(try h.fromSRS(Script.ok(callID: "rec-pending", sdp: Script.srsAnswer()), at: 6_000).isEmpty)
        #expect(h.tracker.endAll(atNanos: 7_000).isEmpty)
    }

    @Test("a c= line on one answered m-line overrides the session c= for that stream only")
    func mediaConnectionOverrides() throws {
        var h = PassiveSessionTrackerHarness()
        _ = try h.fromSRC(Script.siprecInvite(), at: 100)
        let events = try h.fromSRS(Script.ok(sdp: Script.srsAnswer(secondMediaConnection: "10.0.0.9")), at: 200)
        let session = try #require(events.first?.started)
        #expect(session.streams.map(\.destinationAddress) == ["10.0.0.2", "10.0.0.9"])
        #expect(session.streams.map(\.destinationPort) == [40000, 40002])
    }

    @Test("a stream the SRS declines with port 0 is reported but not active")
    func declinedStreamInactive() throws {
        var h = PassiveSessionTrackerHarness()
        _ = try h.fromSRC(Script.siprecInvite(), at: 100)
        let events = try h.fromSRS(Script.ok(sdp: Script.srsAnswer(ports: (40000, 0))), at: 200)
        let session = try #require(events.first?.started)
        #expect(session.streams.map(\.active) == [true, false])
    }
}
