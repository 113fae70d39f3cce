import SystemLayer
import Capture
import Config
import Codecs
import JSON
import MediaCore
import Pipeline
import RecordingMetadata
import RecordingModel
import SIPCore
import SRTP
import Wire

/// One stream a new recording will take: where its packets come from and how to decode them.
struct StreamPlan {
    var mLineIndex: Int
    var label: String?
    var role: StreamRole
    var payloads: StreamPayloads
    var accepting: Bool
    var socket: RTPSocket?
    var key: EndpointKey?
    /// Why the SRC holds the stream from the start, when it does.
    var hold: SDPHold?
    /// Formats the SDP listed that siprecd cannot decode: payload type → name, for warnings.
    var undecodable: [SDPFormat] = []
    /// SRTP: the SRC's key and suite (RFC 4568), from the answer's chosen `a=crypto`; nil for plain RTP.
    var crypto: SDPCrypto?
    /// Active mode: the session's receiver for `crypto`, made once and handed from one recording of the
    /// session to the next, so its packet index (rollover counter) carries across a REST stop and start.
    var receiver: SRTPReceiver?
    /// SRTP whose key siprecd does not have (passive mode, replay): recorded as nothing, with a warning.
    var keysUnavailable = false
}

extension StreamPayloads {
    /// Every audio format the answer took (the SRC may send any of them), telephone-event, and CN (the
    /// offered ones, and the static 13 and 19, which are silence whoever sends them).
    init(plan: SDPAnswerPlan) {
        self.init(audio: plan.audio.compactMap { format in
                      AudioCodec(encodingName: format.encoding, clockRate: format.clockRate, channels: format.channels ?? 1,
                                 parameters: format.parameters)
                          .map { (UInt8(format.payloadType), $0) }
                  },
                  telephoneEvents: plan.telephoneEvents.map { UInt8($0) },
                  comfortNoise: plan.comfortNoise.map { UInt8($0) })
        for pt: UInt8 in [13, 19] where self[pt] == .unassigned { assign(pt, .comfortNoise) }
    }
}

extension AudioCodec {
    /// The codec of an SDP format, when siprecd decodes it.
    init?(_ map: SDPRTPMap, parameters: String?) {
        self.init(encodingName: map.encodingName, clockRate: map.clockRate, channels: map.channels ?? 1, parameters: parameters)
    }

    /// The answerer's question, whether siprecd records an offered format: every codec this build links.
    static let decodable: SDPDecodable = { map, parameters in AudioCodec(map, parameters: parameters) != nil }
}

extension StreamDecoders {
    /// Decoders from the codec libraries this binary links, for the codecs of `payloads` that need one at
    /// `sampleRate` (the recording's master rate).
    init(linked payloads: StreamPayloads, sampleRate: Int, concealsLoss: Bool = false) {
        self.init(for: payloads, factory: CodecLibraries(), sampleRate: sampleRate, concealsLoss: concealsLoss)
    }
}

/// What a new recording is about, in SIP terms (active or observed session alike).
struct RecordingOrigin {
    var dialogID: String
    var callID: String
    var requestURI: SIPURI?
    var source: String
    var metadata: RecordingMetadata?
    var metadataError: String?
    /// What had to be repaired to read the metadata (warning `metadataRepaired`).
    var metadataRepairs: [String] = []
    var siprecIndications: [String]
    var assignment: ChannelAssignment
    /// The SIPREC INVITE, for the recording rules (call key from a header).
    var invite: SIPMessage
}

/// Builds a recording the same way for every mode (active SRS, passive, replay): master channels
/// (caller streams first, then callee streams, in m-line order), streams, files and the catalog row.
enum RecordingFactory {
    struct Failure: Error {
        var message: String
        /// Set when the box ran out of something a call needs (the call is refused 503 and counted).
        var exhausted: CallSetupResource? = nil
    }

    /// `plans` has one entry per slot (m-line in active mode); nil where nothing is recorded.
    static func make(origin: RecordingOrigin, plans: [StreamPlan?], settings: RecordingSettings,
                     startMillis: Int64, originNanos: Int64, recordingId: String = RecordingID.make(),
                     decision: RuleMatcher.Decision? = nil) throws(Failure) -> LiveRecording {
        let order = plans.indices.filter { plans[$0] != nil }
            .sorted { (plans[$0]!.role == .caller ? 0 : 1, $0) < (plans[$1]!.role == .caller ? 0 : 1, $1) }
        var slots: [MediaStream?] = Array(repeating: nil, count: plans.count)
        let sampleRate = masterRate(plans, settings.masterRate)
        let timing = settings.timing.at(rate: sampleRate)
        for (channel, index) in order.enumerated() {
            guard let p = plans[index] else { continue }
            var protection = StreamProtection.plain
            if p.keysUnavailable {
                protection = .keysUnavailable
            } else if let receiver = p.receiver {
                protection = .srtp(receiver)
            } else if let crypto = p.crypto {
                do {
                    protection = .srtp(try SRTPReceiver(crypto: crypto, window: settings.replayWindow))
                } catch {
                    throw Failure(message: "SRTP for m-line \(p.mLineIndex + 1): \(error)")
                }
            }
            let stream: MediaStream
            do {
                stream = try MediaStream(label: p.label, mLineIndex: p.mLineIndex, role: p.role, channel: channel,
                                         payloads: p.payloads, decoders: StreamDecoders(linked: p.payloads, sampleRate: sampleRate,
                                                                                   concealsLoss: settings.concealment == .codec),
                                         timing: timing, originNanos: originNanos,
                                         socket: p.socket, key: p.key, totals: settings.totals, protection: protection)
            } catch {
                throw Failure(message: "m-line \(p.mLineIndex + 1): \(error)", exhausted: .memory)
            }
            stream.reassembler.startAccepting(p.accepting)
            slots[index] = stream
        }
        let day = WallClock.yyMMdd(startMillis)
        let relativeMaster = "recordings/\(day)/\(recordingId).wav"
        let relativeMP3 = "recordings/\(day)/\(recordingId).mp3"
        let pipeline: RecordingPipeline
        do {
            try FileSystem.makeDirectories("\(settings.dataDir)/recordings/\(day)")
            pipeline = try RecordingPipeline(
                id: recordingId, streams: slots.compactMap { $0 }.sorted { $0.channel < $1.channel },
                originNanos: originNanos, masterPath: "\(settings.dataDir)/\(relativeMaster)",
                mp3Path: "\(settings.dataDir)/\(relativeMP3)", settings: settings.encoder, sampleRate: sampleRate)
        } catch {
            throw Failure(message: "cannot create recording files: \(error)")
        }
        var record = RecordingRecord(
            recordingId: recordingId, state: .pending, sipRecCallId: origin.callID,
            sessionId: origin.metadata?.sessions.first?.id, groupId: origin.metadata?.groups.first?.id,
            calledParty: origin.requestURI?.user ?? "", domain: origin.requestURI?.host ?? "",
            sourceAddress: origin.source, startTime: startMillis, masterPath: relativeMaster,
            mp3Path: settings.encoder.mp3 ? relativeMP3 : nil,
            updatedAt: startMillis, sampleRate: sampleRate)
        let decision = decision ?? RuleMatcher.decide(rules: settings.rules, requestURI: origin.requestURI,
                                                      source: origin.source, invite: origin.invite, metadata: origin.metadata)
        record.callKey = decision.callKey
        let identity = CallIdentity.of(origin.metadata)
        record.originalCallId = identity.originalCallId
        record.ucid = identity.ucid
        record.role = decision.rule.role.isEmpty ? nil : decision.rule.role
        if decision.callKey == nil { record.warnings.append(.noCallKey) }
        if origin.metadataError != nil { record.warnings.append(.metadataInvalid) }
        if !origin.metadataRepairs.isEmpty { record.warnings.append(.metadataRepaired) }
        if origin.siprecIndications.isEmpty { record.warnings.append(.notSiprec) }
        if plans.contains(where: { $0?.keysUnavailable == true }) { record.warnings.append(.srtpKeysUnavailable) }
        let recording = LiveRecording(record: record, pipeline: pipeline,
                                      streamsByMLine: slots, metadata: origin.metadata, assignment: origin.assignment, startNanos: originNanos)
        recording.metadataError = origin.metadataError
        recording.metadataRepairs = origin.metadataRepairs
        recording.trigger = decision.rule.trigger
        recording.refreshParticipants()
        if origin.metadata == nil, let parties = HeaderParties.parties(of: origin.invite) {
            recording.record.participants = parties.participants
            recording.assignment.reason += " " + parties.reason
        }
        recording.conference.observe(origin.metadata, atMillis: startMillis)
        recording.participantHistory.observe(origin.metadata, atMillis: startMillis)
        for index in plans.indices {
            guard let plan = plans[index] else { continue }
            recording.undecodable[index] = plan.undecodable
            if let hold = plan.hold { recording.openHold(index, reason: hold, atNanos: originNanos) }
        }
        recording.updatePause(atNanos: originNanos)  // offered inactive: paused from the start (`started(paused:)`)
        recording.record.streams = RecordingReport.streamRecords(recording, outcome: nil)
        return recording
    }

    /// The master's rate for `plans` under `[media] masterRate`: under `auto`, 16 kHz when a stream's codec —
    /// the first format its m-line lists, the one an SRC forking the call sends — is wideband, else 8 kHz.
    /// A wideband codec the SRC only lists as an alternative does not widen the master (its G.711 stays
    /// bit-exact); should the stream switch to it, it is resampled to the master's rate.
    static func masterRate(_ plans: [StreamPlan?], _ setting: MasterRate) -> Int {
        setting.rate(wideband: plans.contains { $0?.payloads.preferredCodec?.isWideband == true })
    }

    /// Payload types of a stream from the SDP media that describes its receiver (every format it lists that
    /// siprecd decodes, telephone-event and CN), or nil when it has none of those codecs.
    static func payloads(receiver media: SDPMedia) -> StreamPayloads? {
        var audio: [(payloadType: UInt8, codec: AudioCodec)] = []
        var telephoneEvents: [UInt8] = [], comfortNoise: [UInt8] = []
        for format in media.formats {
            guard let pt = Int(format), (0...127).contains(pt), let map = media.encoding(for: pt) else { continue }
            let name = map.encodingName.uppercased()
            if let codec = AudioCodec(map, parameters: media.fmtp(for: pt)) { audio.append((UInt8(pt), codec)) }
            if name == "TELEPHONE-EVENT" { telephoneEvents.append(UInt8(pt)) }
            if name == "CN" { comfortNoise.append(UInt8(pt)) }
        }
        guard !audio.isEmpty else { return nil }
        var payloads = StreamPayloads(audio: audio, telephoneEvents: telephoneEvents, comfortNoise: comfortNoise)
        for pt: UInt8 in [13, 19] where payloads[pt] == .unassigned { payloads.assign(pt, .comfortNoise) }
        return payloads
    }
}
