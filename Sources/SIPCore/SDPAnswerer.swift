/// Builds the recorder's SDP answer to an offer (RFC 3264; SIPREC RFC 7866 §7).
public enum SDPAnswerer {
    /// Answers `offer` with one m-line per offered m-line, in the same order.
    ///
    /// An offered m-line is accepted when it is audio over `RTP/AVP`, has a
    /// non-zero port, offers PCMU or PCMA, and `ports` has an entry at its index.
    /// The accepted line uses `ports[i]`, the first of PCMU/PCMA in the offer's
    /// order, plus telephone-event (offered PT and fmtp, default `0-16`) and CN
    /// when offered; it echoes `a=label` and `a=ptime`, and is `recvonly`, or
    /// `inactive` when the offer is recvonly or inactive (nothing will be sent to
    /// record). Other m-lines get port 0 and their first offered format.
    /// SRTP profiles are rejected because this recorder cannot decrypt them.
    public static func answer(offer: SDPSession, localAddress: String, ports: [Int],
                              sessionId: String, sessionVersion: UInt64) -> (answer: SDPSession, plan: [SDPAnswerPlan]) {
        var media: [SDPMedia] = []
        var plan: [SDPAnswerPlan] = []
        for (index, offered) in offer.media.enumerated() {
            let port = index < ports.count ? ports[index] : 0
            if let accepted = accept(offered, session: offer, index: index, port: port) {
                media.append(accepted.media)
                plan.append(accepted.plan)
            } else {
                media.append(SDPMedia(type: offered.type, port: 0, proto: offered.proto,
                                      formats: Array(offered.formats.prefix(1))))
                plan.append(SDPAnswerPlan(mLineIndex: index, accepted: false, label: offered.label, direction: .inactive))
            }
        }
        let connection = SDPConnection(address: localAddress)
        let answer = SDPSession(
            origin: SDPOrigin(username: "-", sessionId: sessionId, sessionVersion: String(sessionVersion),
                              addrType: connection.addrType, address: localAddress),
            sessionName: "siprecd", connection: connection, timing: "0 0", media: media)
        return (answer, plan)
    }

    private static func accept(_ offered: SDPMedia, session: SDPSession, index: Int,
                               port: Int) -> (media: SDPMedia, plan: SDPAnswerPlan)? {
        guard offered.type.asciiLowercased == "audio", offered.proto.asciiUppercased == "RTP/AVP",
              offered.port != 0, port > 0, port <= 65_535 else { return nil }
        let payloadTypes = offered.formats.compactMap { parseBoundedDecimal($0, max: 127) }
        guard let audio = firstPayloadType(in: payloadTypes, of: offered, named: ["PCMU", "PCMA"]),
              let audioMap = offered.encoding(for: audio) else { return nil }
        let telephoneEvent = firstPayloadType(in: payloadTypes, of: offered, named: ["TELEPHONE-EVENT"])
        let comfortNoise = firstPayloadType(in: payloadTypes, of: offered, named: ["CN"])

        let direction: SDPDirection
        switch offered.effectiveDirection(session: session) {
        case .sendonly, .sendrecv: direction = .recvonly
        case .recvonly, .inactive: direction = .inactive
        }
        let encoding = audioMap.encodingName.asciiUppercased
        var formats = [String(audio)]
        var attributes = [SDPAttribute(name: "rtpmap", value: "\(audio) \(encoding)/8000")]
        if let telephoneEvent {
            formats.append(String(telephoneEvent))
            attributes.append(SDPAttribute(name: "rtpmap", value: "\(telephoneEvent) telephone-event/8000"))
            let events = offered.fmtp(for: telephoneEvent) ?? "0-16"
            attributes.append(SDPAttribute(name: "fmtp", value: "\(telephoneEvent) \(events)"))
        }
        if let comfortNoise {
            formats.append(String(comfortNoise))
            attributes.append(SDPAttribute(name: "rtpmap", value: "\(comfortNoise) CN/8000"))
        }
        if let ptime = offered.attributes.firstValue("ptime") ?? session.attributes.firstValue("ptime") {
            attributes.append(SDPAttribute(name: "ptime", value: ptime))
        }
        attributes.append(SDPAttribute(name: direction.rawValue))
        if let label = offered.label { attributes.append(SDPAttribute(name: "label", value: label)) }

        let media = SDPMedia(type: offered.type, port: port, proto: offered.proto, formats: formats, attributes: attributes)
        let plan = SDPAnswerPlan(mLineIndex: index, accepted: true, label: offered.label, payloadType: audio,
                                 encoding: encoding, telephoneEventPT: telephoneEvent, comfortNoisePT: comfortNoise,
                                 direction: direction)
        return (media, plan)
    }

    /// The first offered payload type whose encoding (rtpmap or static) is one of
    /// `names` at 8 kHz mono: the offer's order is its preference order (RFC 3264 §6.1).
    private static func firstPayloadType(in payloadTypes: [Int], of media: SDPMedia, named names: Set<String>) -> Int? {
        payloadTypes.first { payloadType in
            guard let map = media.encoding(for: payloadType) else { return false }
            return names.contains(map.encodingName.asciiUppercased) && map.clockRate == 8000 && (map.channels ?? 1) == 1
        }
    }
}
