import Catalog
import JSON
import MediaCore
import Pipeline

/// The catalog's view of a finished recording: final state, stream rows (recordingsPartsInfo) and the
/// details document (channel assignment, pauses, DTMF, reception).
enum RecordingReport {
    static func finalRecord(_ recording: LiveRecording, outcome: RecordingOutcome) -> RecordingRecord {
        var record = recording.record
        record.endTime = record.startTime + outcome.frames / 8
        recording.conference.close(atMillis: record.endTime ?? record.startTime)
        record.updatedAt = WallClock.unixMillis()
        record.streams = streamRecords(recording, outcome: outcome)
        record.detailsJSON = details(recording, outcome: outcome).serialized()
        let audioPackets = outcome.streams.reduce(Int64(0)) { $0 + ($1.statistics.firstPosition == nil ? 0 : 1) }
        if let error = outcome.writeError {
            record.state = "failed"
            record.reason = "Recording file write failed: \(error)"
        } else if let reason = recording.cancelReason {
            record.state = "cancelled"
            record.reason = reason
        } else if audioPackets == 0, record.warnings.contains("cancelled") {
            record.state = "cancelled"
            record.reason = "Cancelled by the SRC before the session was answered"
        } else if audioPackets == 0 {
            record.state = "failed"
            record.reason = "No RTP media received"
        } else {
            record.state = "ready"
        }
        return record
    }

    /// The catalog's stream rows (recordingsPartsInfo) from the live streams and, at the end, their counters.
    static func streamRecords(_ recording: LiveRecording, outcome: RecordingOutcome?) -> [StreamRecord] {
        recording.streams.sorted { $0.channel < $1.channel }.map { stream in
            let stats = outcome?.streams.first(where: { $0.channel == stream.channel })?.statistics
                ?? StreamStatistics(stream.reassembler.counters)
            return StreamRecord(
                label: stream.label, mLineIndex: stream.mLineIndex,
                codec: codecName(stats, stream.reassembler.payloads), ssrc: stats.firstSSRC,
                startTime: stats.firstPosition.map { recording.record.startTime + $0 / 8 },
                startSample: stats.firstPosition, channel: stream.channel, role: stream.role.rawValue,
                packets: stats.packets, lost: stats.lost, late: stats.late, duplicates: stats.duplicates)
        }
    }

    /// The codecs a stream's audio arrived in ("PCMU", or "PCMU,PCMA" for a call that switched), else the
    /// one it was offered first.
    static func codecName(_ stats: StreamStatistics, _ payloads: StreamPayloads) -> String? {
        let seen = stats.codecs.map(\.description)
        return seen.isEmpty ? payloads.preferredCodec?.description : seen.joined(separator: ",")
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
        let spans = JSONValue.array(recording.directionSpans.map { span in
            .object([("direction", .string(span.direction.rawValue)), ("mode", .string(span.mode.rawValue)),
                     ("fromSample", .int(span.fromSample)), ("toSample", .optional(span.toSample ?? end))])
        })
        var members: [(String, JSONValue)] = [
            ("channelAssignment", assignment), ("pauses", pauses), ("directionSpans", spans),
            ("directions", .object([("inbound", .string(recording.control.inbound.rawValue)),
                                    ("outbound", .string(recording.control.outbound.rawValue))])),
            ("trigger", .string(recording.trigger)), ("requestedBy", .optional(recording.requestedBy)),
            ("headers", .array(recording.headers.map { .object([("name", .string($0.name)), ("value", .string($0.value))]) })),
            ("relatedRecordings", .array(recording.relatedRecordings.map(JSONValue.string))),
            ("sampleRate", .int(8000)), ("metadataError", .optional(recording.metadataError)),
            ("conferenceSegments", recording.conference.json),
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
                ("comfortNoise", .int(s.comfortNoise)), ("resynchronisations", .int(s.resynchronisations)),
                ("ssrcChanges", .int(s.ssrcChanges)), ("foreignSource", .int(s.foreignSource)),
                ("sourceChanges", .int(s.sourceChanges)), ("dtmfDropped", .int(Int64(stream.dtmfDropped)))]))
        }
        members += [("dtmf", .array(dtmf)), ("reception", .array(reception))]
        return .object(members)
    }
}
