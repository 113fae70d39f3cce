import SystemLayer
import JSON
import RecordingModel

#if canImport(Glibc)
import Glibc
#endif

/// Where each channel of a recording in progress starts, in a small file next to its master
/// (`<master>.starts`): written once the streams have their first packets, read by start-up recovery when
/// the process died before the final catalog row, removed when the recording is finished. A file, not a
/// catalog write, so it never queues behind (or in front of) the catalog writes that SIP answers wait for.
enum StreamStartJournal {
    static func path(master: String) -> String { master + ".starts" }

    /// Writes the journal of `streams` (those that have started) for the master at `master`.
    static func write(master: String, streams: [StreamRecord]) {
        let entries = streams.compactMap { s -> JSONValue? in
            guard let start = s.startSample else { return nil }
            return .object([("channel", .int(Int64(s.channel))), ("startSample", .int(start)),
                            ("startTime", .optional(s.startTime)), ("ssrc", s.ssrc.map { .int(Int64($0)) } ?? .null),
                            ("codec", .optional(s.codec))])
        }
        let bytes = Array(JSONValue.array(entries).serialized().utf8)
        let temporary = path(master: master) + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        if written == bytes.count { rename(temporary, path(master: master)) } else { unlink(temporary) }
    }

    /// Fills in the start of each stream of `record` from the journal of its master, if there is one.
    static func apply(to record: inout RecordingRecord, master: String) {
        guard let text = FileSystem.readText(path(master: master), limit: 65_536),
              case .array(let entries)? = try? JSONValue.parse(text) else { return }
        for entry in entries {
            guard case .int(let channel)? = entry["channel"], case .int(let start)? = entry["startSample"],
                  let index = record.streams.firstIndex(where: { $0.channel == Int(channel) }) else { continue }
            record.streams[index].startSample = start
            if case .int(let time)? = entry["startTime"] { record.streams[index].startTime = time }
            if case .int(let ssrc)? = entry["ssrc"] { record.streams[index].ssrc = UInt32(truncatingIfNeeded: ssrc) }
            if case .string(let codec)? = entry["codec"] { record.streams[index].codec = codec }
        }
    }

    static func remove(master: String) {
        unlink(path(master: master))
    }
}
