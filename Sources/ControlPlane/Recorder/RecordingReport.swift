import JSON
import MediaCore
import Pipeline
import RecordingModel
import SIPCore

/// The catalog's view of a finished recording: final state, stream rows (recordingsPartsInfo) and the
/// details document (channel assignment, pauses, DTMF, reception).
enum RecordingReport {
    /// The row of a recording whose files are closed, and how it ended; its state is still the live one
    /// (the caller asks `RecordingLifecycle` for the next).
    static func finalRecord(_ recording: LiveRecording, outcome: RecordingOutcome) -> (record: RecordingRecord, ending: RecordingLifecycle.Ending) {
        var record = recording.record
        record.endTime = record.startTime + TimelineClock.millis(samples: outcome.frames, sampleRate: record.sampleRate)
        recording.conference.close(atMillis: record.endTime ?? record.startTime)
        recording.participantHistory.close(atMillis: record.endTime ?? record.startTime)
        record.updatedAt = WallClock.unixMillis()
        record.streams = streamRecords(recording, outcome: outcome)
        record.detailsJSON = details(recording, outcome: outcome).serialized()
        let audioPackets = outcome.streams.reduce(Int64(0)) { $0 + ($1.statistics.firstPosition == nil ? 0 : 1) }
        if outcome.streams.contains(where: { $0.statistics.unknownPayload > 0 }), !record.warnings.contains(.unsupportedPayload) {
            record.warnings.append(.unsupportedPayload)
        }
        let ending: RecordingLifecycle.Ending
        if let error = outcome.writeError {
            ending = .failed
            record.reason = "Recording file write failed: \(error)"
        } else if let reason = recording.cancelReason {
            ending = .discarded
            record.reason = reason
        } else if audioPackets == 0, record.warnings.contains(.cancelled) {
            ending = .cancelled
            record.reason = "Cancelled by the SRC before the session was answered"
        } else if audioPackets == 0, record.warnings.contains(.noAnswerInAck) {
            ending = .failed
            record.reason = "Delayed offer not answered: the SRC's ACK carried no SDP answer to siprecd's offer, so nothing could be recorded"
        } else if audioPackets == 0 {
            ending = .failed
            record.reason = noAudioReason(recording, outcome)
        } else {
            ending = .complete
        }
        return (record, ending)
    }

    /// Why a recording holds no audio, naming what arrived: "No RTP media received" only when nothing did.
    static func noAudioReason(_ recording: LiveRecording, _ outcome: RecordingOutcome) -> String {
        var arrived: Int64 = 0
        var causes: [String] = []
        for stream in outcome.streams {
            let s = stream.statistics
            arrived += s.packets + s.malformed + s.foreignSource + s.authFailed + s.replayed + s.undecrypted
            let name = "stream \(stream.label.map { "'\($0)'" } ?? "m-line \(stream.mLineIndex + 1)")"
            for unknown in s.unknownPayloadTypes {
                let offered = recording.undecodable[safe: stream.mLineIndex]?.first { $0.payloadType == Int(unknown.payloadType) }
                let what = offered.map { "payload type \(unknown.payloadType) (\($0.encoding)), which siprecd cannot decode" }
                    ?? "payload type \(unknown.payloadType), which the SDP did not negotiate"
                causes.append("\(name): \(unknown.packets) packets of \(what)")
            }
            let counted = s.unknownPayloadTypes.reduce(Int64(0)) { $0 + $1.packets }
            if s.unknownPayload > counted { causes.append("\(name): \(s.unknownPayload - counted) more packets of other unusable payload types") }
            if s.discardedWhilePaused > 0 { causes.append("\(name): \(s.discardedWhilePaused) packets while the stream was paused, muted or held") }
            if s.malformed > 0 { causes.append("\(name): \(s.malformed) datagrams that were not RTP") }
            if s.foreignSource > 0 { causes.append("\(name): \(s.foreignSource) packets from a second sender") }
            if s.authFailed > 0 { causes.append("\(name): \(s.authFailed) SRTP packets that failed authentication (not the key the SDP gave, or altered)") }
            if s.replayed > 0 { causes.append("\(name): \(s.replayed) SRTP packets refused as replays") }
            if s.undecrypted > 0 { causes.append("\(name): \(s.undecrypted) SRTP packets without a key to decrypt them (srtpKeysUnavailable: the SDP seen did not carry the keys)") }
            if s.late + s.overflows > 0 { causes.append("\(name): \(s.late + s.overflows) packets too late or with the buffer full") }
        }
        guard arrived > 0 else { return "No RTP media received" }
        return "No usable RTP media: \(arrived) packets arrived but none could be recorded (\(causes.joined(separator: "; ")))"
    }

    /// The catalog's stream rows (recordingsPartsInfo) from the live streams and, at the end, their counters.
    static func streamRecords(_ recording: LiveRecording, outcome: RecordingOutcome?) -> [StreamRecord] {
        recording.streams.sorted { $0.channel < $1.channel }.map { stream in
            let stats = outcome?.streams.first(where: { $0.channel == stream.channel })?.statistics
                ?? StreamStatistics(stream.reassembler.counters)
            return StreamRecord(
                label: stream.label, mLineIndex: stream.mLineIndex,
                codec: codecName(stats, stream.reassembler.payloads), ssrc: stats.firstSSRC,
                startTime: stats.firstPosition.map { recording.record.startTime + recording.millis($0) },
                startSample: stats.firstPosition, channel: stream.channel, role: stream.role.rawValue,
                packets: stats.packets, lost: stats.lost, late: stats.late, duplicates: stats.duplicates)
        }
    }

    /// The codecs a stream's audio arrived in ("PCMU", or "PCMU,PCMA" for a call that switched), else the
    /// one it was offered first.
    static func codecName(_ stats: StreamStatistics, _ payloads: StreamPayloads) -> String? {
        let seen = codecNames(stats)
        return seen.isEmpty ? payloads.preferredCodec?.description : seen.joined(separator: ",")
    }

    /// The names of the codecs a stream's audio arrived in, each once (AMR's two payload formats are one name).
    static func codecNames(_ stats: StreamStatistics) -> [String] {
        stats.codecs.map(\.description).reduce(into: []) { names, name in if !names.contains(name) { names.append(name) } }
    }

    /// What the catalog keeps beyond its columns: channel assignment, pauses, runtime control and, once
    /// the files are closed, DTMF and reception details.
    static func details(_ recording: LiveRecording, outcome: RecordingOutcome?) -> JSONValue {
        let assignment = JSONValue.object([
            ("reason", .string(recording.assignment.reason)),
            ("streams", .array(recording.assignment.streams.map { s in
                .object([("mLineIndex", .int(Int64(s.mLineIndex))), ("label", .optional(s.label)),
                         ("role", .string(s.role.rawValue)), ("participantId", .optional(s.participantId)),
                         ("aor", .optional(s.participantAoR))])
            })),
        ])
        let end = outcome?.frames
        let pauses = JSONValue.array(recording.pauses.map { pause in
            .object([("fromSample", .int(pause.fromSample)), ("toSample", .optional(pause.toSample ?? end)),
                     ("reason", .string(pause.reason)), ("by", .optional(pause.by))])
        })
        let holds = JSONValue.array(recording.holds.map { hold in
            .object([("label", .optional(hold.label)), ("mLineIndex", .int(Int64(hold.mLineIndex))),
                     ("fromSample", .int(hold.fromSample)), ("toSample", .optional(hold.toSample ?? end)),
                     ("reason", .string(hold.reason.rawValue))])
        })
        let spans = JSONValue.array(recording.directionSpans.map { span in
            .object([("direction", .string(span.direction.rawValue)), ("mode", .string(span.mode.rawValue)),
                     ("fromSample", .int(span.fromSample)), ("toSample", .optional(span.toSample ?? end))])
        })
        var members: [(String, JSONValue)] = [
            ("channelAssignment", assignment), ("pauses", pauses), ("holds", holds), ("directionSpans", spans),
            ("directions", .object([("inbound", .string(recording.control.inbound.rawValue)),
                                    ("outbound", .string(recording.control.outbound.rawValue))])),
            ("trigger", .string(recording.trigger.rawValue)), ("requestedBy", .optional(recording.requestedBy)),
            ("headers", .array(recording.headers.map { .object([("name", .string($0.name)), ("value", .string($0.value))]) })),
            ("relatedRecordings", .array(recording.relatedRecordings.map(JSONValue.string))),
            ("sampleRate", .int(Int64(recording.record.sampleRate))), ("metadataError", .optional(recording.metadataError)),
            ("metadataRepairs", .array(recording.metadataRepairs.map(JSONValue.string))),
            ("metadataSchema", .optional(recording.metadata?.schema.rawValue)),
            ("conferenceSegments", recording.conference.json),
            ("participantHistory", recording.participantHistory.json { recording.assignment.role(ofParticipant: $0) }),
        ]
        guard let outcome else { return .object(members) }
        var dtmf: [JSONValue] = []
        var reception: [JSONValue] = []
        for stream in outcome.streams {
            for event in stream.dtmf {
                dtmf.append(.object([("label", .optional(stream.label)), ("event", .string(event.symbol)),
                                     ("startSample", .int(event.position)), ("durationSamples", .int(Int64(event.duration)))]))
            }
            let s = stream.statistics
            reception.append(.object([
                ("label", .optional(stream.label)), ("overflows", .int(s.overflows)), ("malformed", .int(s.malformed)),
                ("unknownPayload", .int(s.unknownPayload)), ("discardedWhilePaused", .int(s.discardedWhilePaused)),
                ("comfortNoise", .int(s.comfortNoise)), ("concealedSamples", .int(s.concealedSamples)),
                ("resynchronisations", .int(s.resynchronisations)),
                ("ssrcChanges", .int(s.ssrcChanges)), ("foreignSource", .int(s.foreignSource)),
                ("sourceChanges", .int(s.sourceChanges)), ("dtmfDropped", .int(Int64(stream.dtmfDropped))),
                ("srtp", .optional(stream.srtpSuite)), ("authFailed", .int(s.authFailed)), ("replayed", .int(s.replayed)),
                ("srtcpPackets", .int(s.srtcpPackets)), ("undecrypted", .int(s.undecrypted)),
                ("codecs", .array(codecNames(s).map { .string($0) })),
                ("unknownPayloadTypes", .array(s.unknownPayloadTypes.map { unknown in
                    let offered = recording.undecodable[safe: stream.mLineIndex]?.first { $0.payloadType == Int(unknown.payloadType) }
                    return .object([("payloadType", .int(Int64(unknown.payloadType))), ("encoding", .optional(offered?.encoding)),
                                    ("negotiated", .bool(false)), ("offered", .bool(offered != nil)), ("packets", .int(unknown.packets))])
                }))]))
        }
        members += [("dtmf", .array(dtmf)), ("reception", .array(reception))]
        return .object(members)
    }
}

extension Array {
    /// The element at `index`, or nil outside the array.
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
