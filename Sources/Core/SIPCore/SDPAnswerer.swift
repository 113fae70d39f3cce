/// Builds the recorder's SDP answer to an offer (RFC 3264; SIPREC RFC 7866 §7).
public enum SDPAnswerer {
    /// The telephone-event clocks answered: those of the audio codecs siprecd records.
    static let eventClocks: Set<Int> = [8_000, 16_000, 48_000]
    /// The comfort-noise clocks answered (RFC 3389 §5: the audio's rate).
    static let comfortNoiseClocks: Set<Int> = [8_000, 16_000, 32_000, 48_000]
    /// Answers `offer` with one m-line per offered m-line, in the same order.
    ///
    /// An offered m-line is accepted when it is audio over `RTP/AVP`, has a non-zero port, offers a format
    /// `decodable` takes, and `ports` has an entry at its index. The accepted line uses `ports[i]` and answers
    /// *every* decodable format offered (with its fmtp echoed: G.729's `annexb`, AMR's `octet-align` are the
    /// sender's choice), in the offer's order (an SRC forks the call as it is and switches payload
    /// type whenever the call does), plus telephone-event (offered PT and fmtp, default `0-16`) and CN
    /// when offered; it echoes `a=label` and `a=ptime`, and is `recvonly`, or `inactive` when the offer
    /// holds the stream: `recvonly`, `inactive`, or a `0.0.0.0` connection address (RFC 2543 hold).
    /// Other m-lines get port 0 and their first offered format (a port-0 m-line is held, ``SDPHold/portZero``).
    /// SRTP (RTP/SAVP, RTP/SAVPF with SDES keys) is taken as `security` says: the answer keeps the
    /// profile and carries one `a=crypto` (the first usable one offered, with siprecd's own key under its
    /// tag); an m-line refused for its transport or keys says why in ``SDPAnswerPlan/securityRefusal``.
    public static func answer(offer: SDPSession, localAddress: String, ports: [Int], sessionId: String,
                              sessionVersion: UInt64, decodable: SDPDecodable,
                              security: SDPSecurityPolicy = .plainRTP) -> (answer: SDPSession, plan: [SDPAnswerPlan]) {
        var media: [SDPMedia] = []
        var plan: [SDPAnswerPlan] = []
        for (index, offered) in offer.media.enumerated() {
            let port = index < ports.count ? ports[index] : 0
            var refusal: String?
            if let accepted = accept(offered, session: offer, index: index, port: port, decodable: decodable,
                                     security: security, refusal: &refusal) {
                media.append(accepted.media)
                plan.append(accepted.plan)
            } else {
                media.append(SDPMedia(type: offered.type, port: 0, proto: offered.proto,
                                      formats: Array(offered.formats.prefix(1))))
                plan.append(SDPAnswerPlan(mLineIndex: index, accepted: false, label: offered.label,
                                          undecodable: offered.port == 0 ? [] : formats(of: offered), direction: .inactive,
                                          hold: offered.port == 0 ? .portZero : nil, securityRefusal: refusal))
            }
        }
        let connection = SDPConnection(address: localAddress)
        let answer = SDPSession(
            origin: SDPOrigin(username: "-", sessionId: sessionId, sessionVersion: String(sessionVersion),
                              addrType: connection.addrType, address: localAddress),
            sessionName: "siprecd", connection: connection, timing: "0 0", media: media)
        return (answer, plan)
    }

    private static func accept(_ offered: SDPMedia, session: SDPSession, index: Int, port: Int,
                               decodable: SDPDecodable, security: SDPSecurityPolicy,
                               refusal: inout String?) -> (media: SDPMedia, plan: SDPAnswerPlan)? {
        guard offered.type.asciiLowercased == "audio", offered.port != 0 else { return nil }
        let crypto: SDPCrypto?, cryptoAnswer: String?
        switch security.negotiate(offered, index: index) {
        case .plain: (crypto, cryptoAnswer) = (nil, nil)
        case .secure(let offeredCrypto, let answer): (crypto, cryptoAnswer) = (offeredCrypto, answer)
        case .refused(let reason):
            refusal = reason
            return nil
        case .notRTP: return nil
        }
        guard port > 0, port <= 65_535 else { return nil }
        let payloadTypes = offered.formats.compactMap { parseBoundedDecimal($0, max: 127) }
        var audio: [SDPFormat] = [], undecodable: [SDPFormat] = []
        var telephoneEvents: [Int] = [], comfortNoise: [Int] = []
        for pt in payloadTypes where !audio.contains(where: { $0.payloadType == pt }) {
            guard let map = offered.encoding(for: pt) else {
                undecodable.append(SDPFormat(payloadType: pt, encoding: "unknown"))
                continue
            }
            let name = map.encodingName.asciiUppercased
            let parameters = offered.fmtp(for: pt)
            if decodable(map, parameters) {
                audio.append(SDPFormat(payloadType: pt, encoding: name, parameters: parameters, clockRate: map.clockRate, channels: map.channels))
                continue
            }
            switch name {
            // telephone-event on the audio's clock (RFC 4733 §2.1): 8000, 16000 next to AMR-WB, 48000
            // next to Opus; comfort noise (RFC 3389) at the rate of the audio it stands in for. Both
            // only mark time: silence on the timeline, whatever their clock.
            case "TELEPHONE-EVENT" where SDPAnswerer.eventClocks.contains(map.clockRate): telephoneEvents.append(pt)
            case "CN" where SDPAnswerer.comfortNoiseClocks.contains(map.clockRate): comfortNoise.append(pt)
            default: undecodable.append(SDPFormat(payloadType: pt, encoding: "\(map.encodingName)/\(map.clockRate)"))
            }
        }
        guard !audio.isEmpty else { return nil }

        let hold: SDPHold?
        switch offered.effectiveDirection(session: session) {
        case .sendonly, .sendrecv: hold = isNullAddress(offered.connection ?? session.connection) ? .nullAddress : nil
        case .recvonly: hold = .recvonly
        case .inactive: hold = .inactive
        }
        let direction: SDPDirection = hold == nil ? .recvonly : .inactive
        var formats: [String] = []
        var attributes: [SDPAttribute] = []
        for format in audio {
            formats.append(String(format.payloadType))
            // The rtpmap as offered (`opus/48000/2` keeps its spelling: some stacks compare it case-sensitively).
            let map = offered.encoding(for: format.payloadType)
                ?? SDPRTPMap(encodingName: format.encoding, clockRate: format.clockRate, channels: format.channels)
            attributes.append(SDPAttribute(name: "rtpmap", value: "\(format.payloadType) \(map.serialized)"))
            // How the sender lays its payloads out (G.729 Annex B, RFC 7261 §4.1; AMR's octet-align and
            // mode-set, RFC 4867 §8.3.1) is its choice, which a receive-only recorder takes as offered.
            if let parameters = format.parameters {
                attributes.append(SDPAttribute(name: "fmtp", value: "\(format.payloadType) \(parameters)"))
            }
        }
        for telephoneEvent in telephoneEvents {
            formats.append(String(telephoneEvent))
            let clock = offered.encoding(for: telephoneEvent)?.clockRate ?? 8000
            attributes.append(SDPAttribute(name: "rtpmap", value: "\(telephoneEvent) telephone-event/\(clock)"))
            let events = offered.fmtp(for: telephoneEvent) ?? "0-16"
            attributes.append(SDPAttribute(name: "fmtp", value: "\(telephoneEvent) \(events)"))
        }
        for noise in comfortNoise {
            formats.append(String(noise))
            let clock = offered.encoding(for: noise)?.clockRate ?? 8000
            attributes.append(SDPAttribute(name: "rtpmap", value: "\(noise) CN/\(clock)"))
        }
        if let ptime = offered.attributes.firstValue("ptime") ?? session.attributes.firstValue("ptime") {
            attributes.append(SDPAttribute(name: "ptime", value: ptime))
        }
        if let cryptoAnswer { attributes.append(SDPAttribute(name: "crypto", value: cryptoAnswer)) }
        attributes.append(SDPAttribute(name: direction.rawValue))
        if let label = offered.label { attributes.append(SDPAttribute(name: "label", value: label)) }

        let media = SDPMedia(type: offered.type, port: port, proto: offered.proto, formats: formats, attributes: attributes)
        let plan = SDPAnswerPlan(mLineIndex: index, accepted: true, label: offered.label, audio: audio,
                                 telephoneEvents: telephoneEvents, comfortNoise: comfortNoise, undecodable: undecodable,
                                 direction: direction, hold: hold, crypto: crypto)
        return (media, plan)
    }

    /// Every format an m-line lists, named by its rtpmap (or static assignment), for saying what was offered.
    public static func formats(of media: SDPMedia) -> [SDPFormat] {
        media.formats.map { text in
            guard let pt = parseBoundedDecimal(text[...], max: 127) else { return SDPFormat(payloadType: -1, encoding: text) }
            guard let map = media.encoding(for: pt) else { return SDPFormat(payloadType: pt, encoding: "unknown") }
            return SDPFormat(payloadType: pt, encoding: "\(map.encodingName)/\(map.clockRate)")
        }
    }

    /// `0.0.0.0` (or the IPv6 unspecified address), with or without a TTL suffix.
    static func isNullAddress(_ connection: SDPConnection?) -> Bool {
        guard let address = connection?.address.split(separator: "/").first else { return false }
        return address == "0.0.0.0" || address == "::"
    }
}
