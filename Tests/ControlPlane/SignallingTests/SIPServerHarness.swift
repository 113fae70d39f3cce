import Logging
import NIOCore
import NIOEmbedded
import SIPCore
import TestSupport
@testable import Signalling

/// A SIP server on an embedded event loop with a virtual clock, talking to one SRC over a fake UDP flow.
final class SIPServerHarness {
    let loop = EmbeddedEventLoop()
    let channel: EmbeddedChannel
    let server: SIPServer
    let delegate = ScriptedDelegate()
    let flow: SIPFlow

    init(transport: SIPFlow.Transport = .udp) throws {
        channel = EmbeddedChannel(loop: loop)
        let remote = try SocketAddress(ipAddress: "127.0.0.1", port: 5070)
        try channel.connect(to: remote).wait()
        flow = SIPFlow(transport: transport, remote: remote, channel: channel)
        server = SIPServer(eventLoop: loop,
                           settings: SIPServerSettings(advertisedHost: "127.0.0.1", port: 5060, userAgent: "siprecd/test"),
                           logger: Logger(label: "test"))
        server.delegate = delegate
    }

    /// Delivers a request as the SRC would send it.
    func send(_ text: String) {
        server.receive(bytes: Array(text.replacingLFWithCRLF.utf8), flow: flow)
    }

    /// Everything the server sent since the last call, parsed.
    func sent() throws -> [SIPMessage] {
        var messages: [SIPMessage] = []
        while let out = try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) {
            messages.append(try SIPParser.parse(Array(out.data.readableBytesView)))
        }
        while let out = try channel.readOutbound(as: ByteBuffer.self) {
            messages.append(try SIPParser.parse(Array(out.readableBytesView)))
        }
        return messages
    }

    /// Answers a request the server sent, as the SRC would.
    func reply(to request: SIPMessage, status: Int) {
        let response = SIPResponseBuilder.response(to: request, statusCode: status, toTag: nil)
        server.receive(bytes: response.serialized(), flow: flow)
    }

    /// Status codes of what was sent since the last call.
    func sentCodes() throws -> [Int] { try sent().compactMap(\.statusCode) }
}

/// A recording service stand-in: records what the SIP server tells it and answers as scripted.
final class ScriptedDelegate: RecordingSessionDelegate, @unchecked Sendable {
    // @unchecked: used only on the embedded loop's (test) thread.
    var offers: [SessionOffer] = []
    var updates: [SessionUpdate] = []
    var ended: [(String, SessionEnd)] = []
    var holdDecisions = false
    /// Answers every offer with this instead of accepting it.
    var refusal: SessionDecision?
    var held: [@Sendable (SessionDecision) -> Void] = []

    func sessionOffered(_ offer: SessionOffer, respond: @escaping @Sendable (SessionDecision) -> Void) {
        offers.append(offer)
        if let refusal { respond(refusal); return }
        if holdDecisions { held.append(respond) } else { respond(.accept(answer: offer.sdp.map(Self.answer) ?? SDPSession())) }
    }

    func sessionUpdated(_ update: SessionUpdate) -> SessionDecision {
        updates.append(update)
        return .accept(answer: update.sdp.map(Self.answer) ?? SDPSession())
    }

    func sessionEnded(dialogID: String, cause: SessionEnd, atNanos nanos: Int64) { ended.append((dialogID, cause)) }

    static func answer(_ offer: SDPSession) -> SDPSession {
        SDPAnswerer.answer(offer: offer, localAddress: "127.0.0.1",
                           ports: offer.media.indices.map { 40000 + 2 * $0 }, sessionId: "1", sessionVersion: 1,
                           decodable: recorderDecodable).answer
    }
}

extension String {
    var replacingLFWithCRLF: String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
    }
}
