import Capture
import Logging
import MediaCore
import Pipeline
import RecordingMetadata
import SIPCore
import Signalling
import SRTP

/// Plans a SIPREC offer into a recording session: which m-lines are taken and on which ports, the SDP
/// answer (or siprecd's offer, for a delayed offer), each stream's payloads and SRTP receiver, the channel
/// assignment and the rule's decision. What cannot be recorded is refused with its SIP status and reason.
struct SessionPlanner {
    typealias Refusal = RecordingService.Refusal
    let settings: RecordingSettings
    /// The address the answer gives for media.
    let host: String
    let logger: Logger

    /// What an SRC that sent a delayed offer would have offered: one sendonly audio m-line per stream the
    /// metadata names (two without metadata), labelled as the metadata labels them, with every format
    /// siprecd decodes. Answering it gives siprecd's offer.
    static func delayedOfferTemplate(metadata: RecordingMetadata?) -> SDPSession {
        var labels = (metadata?.streams ?? []).prefix(RecordingService.maximumStreams).enumerated().map { index, stream in stream.label ?? String(index + 1) }
        if labels.isEmpty { labels = ["1", "2"] }
        let media = labels.map { label in
            SDPMedia(type: "audio", port: 9, proto: "RTP/AVP", formats: ["0", "8", "18", "96", "97", "101", "13"], attributes: [
                SDPAttribute(name: "rtpmap", value: "0 PCMU/8000"), SDPAttribute(name: "rtpmap", value: "8 PCMA/8000"),
                SDPAttribute(name: "rtpmap", value: "18 G729/8000"),
                SDPAttribute(name: "rtpmap", value: "96 AMR/8000"), SDPAttribute(name: "fmtp", value: "96 octet-align=1"),
                SDPAttribute(name: "rtpmap", value: "97 AMR/8000"),
                SDPAttribute(name: "rtpmap", value: "101 telephone-event/8000"), SDPAttribute(name: "fmtp", value: "101 0-16"),
                SDPAttribute(name: "rtpmap", value: "13 CN/8000"), SDPAttribute(name: "ptime", value: "20"),
                SDPAttribute(name: "sendonly"), SDPAttribute(name: "label", value: label),
            ])
        }
        return SDPSession(sessionName: "-", media: media)
    }

    /// What an offer with nothing siprecd can record listed, and what siprecd records.
    static func nothingDecodable(_ sdp: SDPSession) -> String {
        let offered = sdp.media.enumerated().map { index, media -> String in
            let formats = SDPAnswerer.formats(of: media).map { "\($0.encoding) (\($0.payloadType))" }.joined(separator: ", ")
            return "m-line \(index + 1): \(media.type) \(media.proto)\(media.port == 0 ? " port 0" : "") \(formats)"
        }
        return "no audio stream siprecd can record was offered (\(offered.isEmpty ? "no m-lines" : offered.joined(separator: "; "))); "
            + "siprecd records RTP/AVP audio in \(AudioCodec.supportedSummary), with telephone-event and CN on the audio's clock"
    }

    /// Plans streams and channels, opens the RTP sockets (from `ports`) and builds the SDP answer — or, for
    /// a delayed offer, siprecd's offer (the answer to what the SRC would have offered: one sendonly stream
    /// per stream the metadata names, every codec siprecd decodes). `refuse` makes the 503 for a resource
    /// the box ran out of.
    func plan(_ offer: SessionOffer, ports: inout PortAllocator,
              refuse: (CallSetupResource, String) -> Refusal) throws(Refusal) -> (RecordingSession, SDPSession) {
        let sdp = offer.sdp ?? SessionPlanner.delayedOfferTemplate(metadata: offer.metadata)
        if offer.sdp == nil {
            logger.info("delayed offer: the INVITE has no SDP; siprecd offers \(sdp.media.count) recvonly audio streams in its 200 OK",
                        metadata: ["call_id": "\(offer.callID)"])
        }
        if offer.sdp == nil, settings.srtp == .required {
            throw Refusal(statusCode: 488, reason: "Not Acceptable Here - the INVITE has no SDP (a delayed offer) and siprecd does not make SRTP offers; "
                          + "this recorder takes only SRTP ([media] srtp = \"required\"): send the offer in the INVITE")
        }
        // SDES keys that came over SIP/TLS were not readable on the way; over UDP/TCP anyone on the path saw them.
        let security = SessionSecurity.policy(settings, secureSignalling: offer.transport == .tls)
        let labels = sdp.media.map(\.label)
        let assignment = ChannelAssignment.assign(metadata: offer.metadata, mediaLabels: labels)
        // Which m-lines we can take: ask the answerer with placeholder ports first.
        let (_, trialPlan) = SDPAnswerer.answer(offer: sdp, localAddress: host,
                                                ports: Array(repeating: 1, count: sdp.media.count),
                                                sessionId: "0", sessionVersion: 1,
                                                decodable: AudioCodec.decodable, security: security)
        if let refusal = SessionSecurity.refusal(trialPlan) { throw refusal }
        guard trialPlan.filter(\.accepted).count <= RecordingService.maximumStreams else {
            throw Refusal(statusCode: 488, reason: "Not Acceptable Here - more than \(RecordingService.maximumStreams) audio streams offered")
        }
        guard trialPlan.contains(where: \.accepted) else {
            throw Refusal(statusCode: 488, reason: "Not Acceptable Here - \(SessionPlanner.nothingDecodable(sdp))", warningCode: 305)
        }
        var sockets: [RTPSocket?] = []
        do {
            for plan in trialPlan {
                sockets.append(plan.accepted ? try ports.allocate(host: settings.mediaHost) : nil)
            }
        } catch {
            for socket in sockets.compactMap({ $0 }) { ports.release(port: socket.port); socket.close() }
            let resource: CallSetupResource = error.code == .socket ? .descriptors : .rtpPorts
            throw refuse(resource, error.message)
        }
        let portNumbers = sockets.map { $0?.port ?? 0 }
        let sessionId = String(UInt32.random(in: 1...UInt32.max))
        let (answer, plan) = SDPAnswerer.answer(offer: sdp, localAddress: host, ports: portNumbers,
                                                sessionId: sessionId, sessionVersion: 1,
                                                decodable: AudioCodec.decodable, security: security)

        let roles = plan.map { p in assignment.streams.first(where: { $0.mLineIndex == p.mLineIndex })?.role ?? .callee }
        var plans: [StreamPlan?] = plan.indices.map { index in
            let p = plan[index]
            guard p.accepted else { return nil }
            return StreamPlan(mLineIndex: index, label: p.label, role: roles[index] == .caller ? .caller : .callee,
                              payloads: StreamPayloads(plan: p), accepting: p.direction != .inactive, socket: sockets[index], key: nil,
                              hold: p.hold, undecodable: p.undecodable, crypto: p.crypto)
        }
        for index in plans.indices {
            guard let crypto = plans[index]?.crypto else { continue }
            do {
                plans[index]?.receiver = try SRTPReceiver(crypto: crypto, window: settings.replayWindow)
            } catch {
                for socket in sockets.compactMap({ $0 }) { ports.release(port: socket.port); socket.close() }
                throw Refusal(statusCode: 488, reason: "Not Acceptable Here - m-line \(index + 1): \(error)")
            }
        }
        let origin = RecordingOrigin(
            dialogID: offer.dialogID, callID: offer.callID, requestURI: offer.requestURI, source: offer.source,
            metadata: offer.metadata, metadataError: offer.metadataError, metadataRepairs: offer.metadataRepairs,
            siprecIndications: offer.siprecIndications,
            assignment: assignment, invite: offer.invite)
        let decision = RuleMatcher.decide(rules: settings.rules, requestURI: offer.requestURI, source: offer.source,
                                          invite: offer.invite, metadata: offer.metadata)
        let session = RecordingSession(dialogID: offer.dialogID, origin: origin, decision: decision, plans: plans,
                                       sockets: sockets.compactMap { $0 })
        session.lastAnswer = answer
        session.security = security
        if let error = offer.metadataError {
            logger.warning("recording metadata unusable; channels follow SDP order", metadata: [
                "call_id": "\(offer.callID)", "domain": "\(session.domain.lowercased())", "error": "\(error)"])
        }
        return (session, answer)
    }
}
