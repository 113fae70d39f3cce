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
        record.updatedAt = WallClock.unixMillis()
        record.streams = streamRecords(recording, outcome: outcome)
        record.detailsJSON = details(recording, outcome: outcome).serialized()
        let audioPackets = outcome.streams.reduce(Int64(0)) { $0 + ($1.statistics.firstPosition == nil ? 0 : 1) }
        if let error = outcome.writeError {
            record.state = "failed"
            record.reason = "Recording file write failed: \(error)"
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
                codec: stream.reassembler.payloads.codec.description, ssrc: stats.firstSSRC,
                startTime: stats.firstPosition.map { recording.record.startTime + $0 / 8 },
                startSample: stats.firstPosition, channel: stream.channel, role: stream.role.rawValue,
                packets: stats.packets, lost: stats.lost, late: stats.late, duplicates: stats.duplicates)
        }
    }

    /// What the catalog keeps beyond its columns: channel assignment, pauses, DTMF, reception details.
    static func details(_ recording: LiveRecording, outcome: RecordingOutcome) -> JSONValue {
        let assignment = JSONValue.object([
            ("reason", .string(recording.assignment.reason)),
            ("streams", .array(recording.assignment.streams.map { s in
                .object([("mLineIndex", .int(Int64(s.mLineIndex))), ("label", .optional(s.label)),
                         ("role", .string(s.role.rawValue)), ("participantId", .optional(s.participantId)),
                         ("aor", .optional(s.participantAoR))])
            })),
        ])
        let pauses = JSONValue.array(recording.pauses.map { pause in
            .object([("fromSample", .int(pause.fromSample)), ("toSample", .int(pause.toSample ?? outcome.frames)),
                     ("reason", .string(pause.reason))])
        })
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
                ("ssrcChanges", .int(s.ssrcChanges))]))
        }
        return .object([("channelAssignment", assignment), ("pauses", pauses), ("dtmf", .array(dtmf)),
                        ("reception", .array(reception)), ("sampleRate", .int(8000)),
                        ("metadataError", .optional(recording.metadataError))])
    }
}
