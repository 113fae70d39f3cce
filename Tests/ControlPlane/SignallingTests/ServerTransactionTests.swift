import SIPCore
import Testing
@testable import Signalling

@Suite("Server transactions (RFC 3261 §17.2, RFC 6026)")
struct ServerTransactionTests {
    let ok = SIPMessage(startLine: .response(statusCode: 200, reason: "OK"))
    let busy = SIPMessage(startLine: .response(statusCode: 486, reason: "Busy Here"))
    let trying = SIPMessage(startLine: .response(statusCode: 100, reason: "Trying"))

    @Test("a retransmitted INVITE before any answer gets nothing; after 100 Trying it gets the 100 again")
    func absorbsRetransmissions() {
        var t = ServerTransaction(kind: .invite, reliable: false)
        #expect(t.requestRetransmitted().isEmpty)
        #expect(t.respond(trying) == [.send(trying)])
        #expect(t.requestRetransmitted() == [.send(trying)])
    }

    @Test("over UDP the 200 OK is re-sent at 0.5, 1, 2, 4, 4 s until the ACK, then the transaction ends")
    func retransmits2xxUntilAck() {
        var t = ServerTransaction(kind: .invite, reliable: false)
        #expect(t.respond(ok) == [.send(ok), .armRetransmit(.milliseconds(500)), .armTimeout(.seconds(32))])
        #expect(t.retransmitTimerFired() == [.send(ok), .armRetransmit(.seconds(1))])
        #expect(t.retransmitTimerFired() == [.send(ok), .armRetransmit(.seconds(2))])
        #expect(t.retransmitTimerFired() == [.send(ok), .armRetransmit(.seconds(4))])
        #expect(t.retransmitTimerFired() == [.send(ok), .armRetransmit(.seconds(4))])
        #expect(t.requestRetransmitted() == [.send(ok)])
        #expect(t.ackReceived().isEmpty)
        #expect(t.retransmitTimerFired().isEmpty)
        // Kept until Timer L: a late copy of the INVITE is absorbed, not a new session.
        #expect(t.requestRetransmitted().isEmpty)
        #expect(t.timeoutFired() == [.terminate])
    }

    @Test("a 200 OK never acknowledged within 64×T1 reports the missing ACK so the session is torn down")
    func missingAck() {
        var t = ServerTransaction(kind: .invite, reliable: false)
        _ = t.respond(ok)
        #expect(t.timeoutFired() == [.reportMissingAck, .terminate])
    }

    @Test("over TCP nothing is retransmitted")
    func reliableTransport() {
        var t = ServerTransaction(kind: .invite, reliable: true)
        #expect(t.respond(ok) == [.send(ok), .armTimeout(.seconds(32))])
        var n = ServerTransaction(kind: .nonInvite, reliable: true)
        #expect(n.respond(ok) == [.send(ok), .terminate])
    }

    @Test("an error answer to INVITE is retransmitted (Timer G) until its ACK, then waits T4 (Timer I)")
    func errorResponseTimers() {
        var t = ServerTransaction(kind: .invite, reliable: false)
        #expect(t.respond(busy) == [.send(busy), .armRetransmit(.milliseconds(500)), .armTimeout(.seconds(32))])
        #expect(t.retransmitTimerFired() == [.send(busy), .armRetransmit(.seconds(1))])
        #expect(t.ackReceived() == [.armTimeout(.seconds(5))])
        #expect(t.timeoutFired() == [.terminate])
    }

    @Test("a non-INVITE answer is kept for retransmissions for 64×T1 (Timer J) over UDP")
    func nonInviteCompleted() {
        var t = ServerTransaction(kind: .nonInvite, reliable: false)
        #expect(t.respond(ok) == [.send(ok), .armTimeout(.seconds(32))])
        #expect(t.requestRetransmitted() == [.send(ok)])
        #expect(t.respond(busy).isEmpty)
    }
}
