extension RecordingService {
    /// Saves a recording's stream rows once each stream has received its first packet, so a recording
    /// recovered after a crash still says where each channel's audio starts (`startSample`): the master
    /// on disk is then fully described even though the process never finished it.
    func checkpointStreamStarts() {
        for session in sessions.values {
            guard let recording = session.current, recording.attached, !recording.ending else { continue }
            let started = recording.streams.count { $0.reassembler.counters.firstPosition.load(ordering: .relaxed) >= 0 }
            guard started > recording.checkpointedStarts else { continue }
            recording.checkpointedStarts = started
            recording.record.streams = RecordingReport.streamRecords(recording, outcome: nil)
            persist(recording.record)
        }
    }
}
