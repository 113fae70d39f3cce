import JSON
import RecordingModel

/// Reference 001's `relatedRecordings`: the other recordings of the same call with their start time,
/// state (`active` or `stopped`) and role. The first recording of the call is the `parent`; a later one
/// is a `child` when it started while an earlier one was still running, a `sibling` when it started after
/// the earlier ones had ended.
public enum RelatedRecordings {
    public static func describe(_ record: RecordingRecord, _ related: [RecordingRecord]) -> JSONValue {
        let all = (related + [record]).sorted { ($0.startTime, $0.recordingId) < ($1.startTime, $1.recordingId) }
        return .array(related.map { other in
            .object([("recordingId", .string(other.recordingId)), ("startTime", .int(other.startTime)),
                     ("state", .string(other.state.isLive ? "active" : "stopped")),
                     ("recordingRole", .string(role(of: other, in: all)))])
        })
    }

    public static func role(of record: RecordingRecord, in all: [RecordingRecord]) -> String {
        guard let index = all.firstIndex(where: { $0.recordingId == record.recordingId }), index > 0 else { return "parent" }
        let overlapping = all[..<index].contains { earlier in (earlier.endTime ?? Int64.max) > record.startTime }
        return overlapping ? "child" : "sibling"
    }
}
