import RecordingModel
import Testing

/// Every state of PRODUCT.md's model against every event, one line each: the state it leads to and what is
/// announced, or that it is refused. `T` is a transition, `R` a refusal.
@Suite("The recording lifecycle")
struct RecordingLifecycleTests {
    typealias L = RecordingLifecycle
    enum Expected: Equatable {
        case to(RecordingState, [L.Announcement])
        case refused
    }
    static func T(_ state: RecordingState, _ announce: L.Announcement...) -> Expected { .to(state, announce) }
    static let R = Expected.refused

    func check(_ event: L.Event, _ table: [RecordingState: Expected], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Set(table.keys) == Set(RecordingState.allCases), "every state has a line", sourceLocation: sourceLocation)
        for state in RecordingState.allCases {
            let got: Expected
            switch L.apply(event, to: state) {
            case .success(let transition): got = .to(transition.state, transition.announce)
            case .failure(let refusal):
                #expect(refusal.state == state && refusal.event == event && !refusal.reason.isEmpty, sourceLocation: sourceLocation)
                got = .refused
            }
            #expect(got == table[state], "\(event) in \(state)", sourceLocation: sourceLocation)
        }
    }

    @Test("Starting: only a pending recording starts, recording or (offered inactive) paused, with RECORDINGSTARTED")
    func start() {
        check(.started(paused: false), [.pending: Self.T(.recording, .recordingStarted), .recording: Self.R, .paused: Self.R,
                                        .ready: Self.R, .stored: Self.R, .deleted: Self.R, .cancelled: Self.R, .failed: Self.R, .expired: Self.R])
        check(.started(paused: true), [.pending: Self.T(.paused, .recordingStarted), .recording: Self.R, .paused: Self.R,
                                       .ready: Self.R, .stored: Self.R, .deleted: Self.R, .cancelled: Self.R, .failed: Self.R, .expired: Self.R])
    }

    @Test("Pause and resume: recording ⇄ paused; a second pause, a resume while recording, or either after the end is refused")
    func pauseResume() {
        check(.pause, [.pending: Self.R, .recording: Self.T(.paused, .recordingPaused), .paused: Self.R,
                       .ready: Self.R, .stored: Self.R, .deleted: Self.R, .cancelled: Self.R, .failed: Self.R, .expired: Self.R])
        check(.resume, [.pending: Self.R, .recording: Self.R, .paused: Self.T(.recording, .recordingResumed),
                        .ready: Self.R, .stored: Self.R, .deleted: Self.R, .cancelled: Self.R, .failed: Self.R, .expired: Self.R])
    }

    @Test("Ending: a pending, recording or paused recording ends ready, failed (with the alarm) or cancelled; an ended one cannot end again")
    func end() {
        let ended: [RecordingState: Expected] = [.ready: Self.R, .stored: Self.R, .deleted: Self.R, .cancelled: Self.R, .failed: Self.R, .expired: Self.R]
        check(.ended(.complete), ended.merging([.pending: Self.T(.ready, .recordingReady), .recording: Self.T(.ready, .recordingReady),
                                                .paused: Self.T(.ready, .recordingReady)]) { $1 })
        check(.ended(.failed), ended.merging([.pending: Self.T(.failed, .recordingFailed, .recordingFailedAlarm),
                                              .recording: Self.T(.failed, .recordingFailed, .recordingFailedAlarm),
                                              .paused: Self.T(.failed, .recordingFailed, .recordingFailedAlarm)]) { $1 })
        check(.ended(.cancelled), ended.merging([.pending: Self.T(.cancelled, .recordingCancelled),
                                                 .recording: Self.T(.cancelled, .recordingCancelled),
                                                 .paused: Self.T(.cancelled, .recordingCancelled)]) { $1 })
        check(.ended(.discarded), ended.merging([.pending: Self.T(.cancelled, .recordingCancelled),
                                                 .recording: Self.T(.cancelled, .recordingCancelled),
                                                 .paused: Self.T(.cancelled, .recordingCancelled)]) { $1 })
    }

    @Test("Stop and cancel: a live recording keeps its state until its files close (the end is announced then); an ended one is refused")
    func stopCancel() {
        for event in [L.Event.stop, .cancel] {
            check(event, [.pending: Self.T(.pending), .recording: Self.T(.recording), .paused: Self.T(.paused),
                          .ready: Self.R, .stored: Self.R, .deleted: Self.R, .cancelled: Self.R, .failed: Self.R, .expired: Self.R])
        }
    }

    @Test("What each event makes the daemon do, in order (the same from every state that allows it)")
    func effects() throws {
        func effects(_ event: L.Event, _ state: RecordingState) throws -> [L.Effect] { try L.apply(event, to: state).get().effects }
        #expect(try effects(.started(paused: false), .pending) == [.persist, .attachMedia])
        #expect(try effects(.pause, .recording) == [.persist])
        #expect(try effects(.resume, .paused) == [.persist])
        #expect(try effects(.stop, .recording) == [.finishMedia])
        #expect(try effects(.cancel, .paused) == [.finishMedia])
        #expect(try effects(.ended(.complete), .recording) == [.removeStartJournal, .persist, .answerWaiters])
        #expect(try effects(.ended(.failed), .paused) == [.removeStartJournal, .persist, .answerWaiters])
        #expect(try effects(.ended(.cancelled), .pending) == [.removeStartJournal, .persist, .answerWaiters])
        // Only a cancel command removes what was recorded; a session that ended before audio keeps its row and files.
        #expect(try effects(.ended(.discarded), .recording) == [.removeStartJournal, .removeFiles, .persist, .answerWaiters])
        #expect(try effects(.recovered(hasAudio: true), .recording) == [.removeStartJournal, .persist])
        #expect(try effects(.storeSucceeded, .ready) == [.persist])
        #expect(try effects(.storeFailed, .ready) == [])
        #expect(try effects(.deleted, .failed) == [.removeFiles, .persist])
        #expect(try effects(.deleteFailed, .ready) == [.persist])
        #expect(try effects(.expired, .stored) == [.removeFiles, .persist])
        // A refused event does nothing at all.
        #expect(throws: L.Refusal.self) { try effects(.stop, .ready) }
    }

    @Test("Storing: ready becomes stored; stored, deleted and expired stay (the bucket has its copy); others are refused; a failure changes nothing")
    func store() {
        check(.storeSucceeded, [.pending: Self.R, .recording: Self.R, .paused: Self.R, .ready: Self.T(.stored, .recordingStored),
                                .stored: Self.T(.stored, .recordingStored), .deleted: Self.T(.deleted, .recordingStored),
                                .cancelled: Self.R, .failed: Self.R, .expired: Self.T(.expired, .recordingStored)])
        var failed: [RecordingState: Expected] = [:]
        for state in RecordingState.allCases { failed[state] = Self.T(state, .storeRecordingFailed, .storeRecordingErrorAlarm) }
        check(.storeFailed, failed)
    }

    @Test("Deleting: whatever is in the temporary store (ready, stored, failed, cancelled) becomes deleted; live or gone ones are refused")
    func delete() {
        check(.deleted, [.pending: Self.R, .recording: Self.R, .paused: Self.R, .ready: Self.T(.deleted, .recordingDeleted),
                         .stored: Self.T(.deleted, .recordingDeleted), .deleted: Self.R, .cancelled: Self.T(.deleted, .recordingDeleted),
                         .failed: Self.T(.deleted, .recordingDeleted), .expired: Self.R])
        var failed: [RecordingState: Expected] = [:]
        for state in RecordingState.allCases { failed[state] = Self.T(state, .deleteRecordingFailed) }
        check(.deleteFailed, failed)
    }

    @Test("Expiry: ready, stored and failed recordings expire with tempRecordingDeleted; nothing else does")
    func expire() {
        check(.expired, [.pending: Self.R, .recording: Self.R, .paused: Self.R, .ready: Self.T(.expired, .tempRecordingDeletedAlarm),
                         .stored: Self.T(.expired, .tempRecordingDeletedAlarm), .deleted: Self.R, .cancelled: Self.R,
                         .failed: Self.T(.expired, .tempRecordingDeletedAlarm), .expired: Self.R])
    }

    @Test("Recovery at start-up: a recording left live by a crash becomes ready with audio, failed without (no alarm)")
    func recover() {
        let ended: [RecordingState: Expected] = [.ready: Self.R, .stored: Self.R, .deleted: Self.R, .cancelled: Self.R, .failed: Self.R, .expired: Self.R]
        check(.recovered(hasAudio: true), ended.merging([.pending: Self.T(.ready, .recordingReady), .recording: Self.T(.ready, .recordingReady),
                                                         .paused: Self.T(.ready, .recordingReady)]) { $1 })
        check(.recovered(hasAudio: false), ended.merging([.pending: Self.T(.failed, .recordingFailed), .recording: Self.T(.failed, .recordingFailed),
                                                          .paused: Self.T(.failed, .recordingFailed)]) { $1 })
    }

    @Test("Edge cases the field found, as sequences")
    func sequences() throws {
        func run(_ start: RecordingState, _ events: [L.Event]) -> [RecordingState?] {
            var state: RecordingState? = start
            return events.map { event in
                state = state.flatMap { L.next($0, on: event) }
                return state
            }
        }
        // BYE before the ACK (or a CANCEL) while the row was written: the recording ends cancelled, nothing else follows.
        #expect(run(.pending, [.ended(.cancelled), .pause, .storeSucceeded]) == [.cancelled, nil, nil])
        // A BYE racing a stop command: the state holds until the files close, so the model allows both (the
        // daemon takes the recording off its session at the first, so the second finds none); after, neither.
        #expect(run(.recording, [.stop, .stop, .ended(.complete), .stop, .cancel]) == [.recording, .recording, .ready, nil, nil])
        // A cancel command while paused: RECORDINGCANCELLED, and the temporary store has nothing left to expire.
        #expect(run(.paused, [.cancel, .ended(.discarded), .expired]) == [.paused, .cancelled, nil])
        // A REST stop during a newCall decision: the row never left pending, and it is cancelled, then deletable.
        #expect(run(.pending, [.ended(.cancelled), .deleted]) == [.cancelled, .deleted])
        // Re-INVITE glare: two pauses (SDP inactive and a REST pause) race; the second is refused, one resume ends it.
        #expect(run(.recording, [.pause, .pause]) == [.paused, nil])
        #expect(run(.recording, [.pause, .resume, .ended(.complete)]) == [.paused, .recording, .ready])
        // A store racing a delete: the delete wins the state, the store's copy is still announced.
        #expect(run(.ready, [.deleted, .storeSucceeded]) == [.deleted, .deleted])
        #expect(try L.apply(.storeSucceeded, to: .deleted).get().announce == [.recordingStored])
        // A second bucket's store after the first: stays stored.
        #expect(run(.ready, [.storeSucceeded, .storeSucceeded, .expired]) == [.stored, .stored, .expired])
        // Stored, then expired, then deleted: nothing left to delete.
        #expect(run(.stored, [.expired, .deleted]) == [.expired, nil])
    }

    @Test("A refusal names the state it met")
    func refusalReason() {
        #expect(L.apply(.pause, to: .ready) == .failure(L.Refusal(state: .ready, event: .pause,
                                                                    reason: "recording is ready; pause and resume need a recording in progress")))
        #expect("\(L.Refusal(state: .paused, event: .pause, reason: "recording is already paused"))" == "recording is already paused")
    }
}
