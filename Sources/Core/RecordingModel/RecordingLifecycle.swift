/// PRODUCT.md's recording state model as a pure state machine: `pending` → `recording` ⇄ `paused` → `ready`
/// → `stored` → `deleted`, with the side exits `cancelled`, `failed` and `expired`. It takes what happened to a
/// recording and returns its next state and what must be announced; it never touches a socket, a file or the
/// catalog. The daemon asks it at every state change, so a transition the model does not have is refused in
/// one place (with the reason the API shows), not decided again in each code path.
public enum RecordingLifecycle {
    /// What happened to a recording.
    public enum Event: Sendable, Equatable {
        /// Its row is written and audio is kept from now on (`paused`: every stream offered inactive).
        case started(paused: Bool)
        /// A pause (REST, the SRC's a=inactive or hold on every stream) or its end.
        case pause, resume
        /// Its files are closed: with audio (`complete`), or not.
        case ended(Ending)
        /// STORERECORDING wrote a bucket's copy.
        case storeSucceeded
        /// STORERECORDING could not.
        case storeFailed
        /// DELETERECORDING removed its files.
        case deleted
        /// DELETERECORDING could not remove them (the deleteRecordingError alarm follows when a cloud command,
        /// not a REST DELETE, asked: reference 001).
        case deleteFailed
        /// `[storage] tempRetention` ran out and the sweep removed its files.
        case expired
        /// Start-up found it live after a crash; its master kept audio or not (RECORDINGREADY or RECORDINGFAILED,
        /// with no recordingFailed alarm: nothing failed while siprecd ran).
        case recovered(hasAudio: Bool)
    }

    /// How a recording's files were closed.
    public enum Ending: Sendable, Equatable {
        /// Audio was kept: RECORDINGREADY.
        case complete
        /// Writing failed, or nothing could be recorded: RECORDINGFAILED and the recordingFailed alarm.
        case failed
        /// It ended before any audio was kept (the session ended first, a REST cancel, shutdown).
        case cancelled
    }

    /// What the state change must be followed by: the event (reference 001's names) and alarms to announce.
    public enum Announcement: String, Sendable, Equatable {
        case recordingStarted = "RECORDINGSTARTED"
        case recordingPaused = "RECORDINGPAUSED"
        case recordingResumed = "RECORDINGRESUMED"
        case recordingReady = "RECORDINGREADY"
        case recordingFailed = "RECORDINGFAILED"
        case recordingCancelled = "RECORDINGCANCELLED"
        case recordingStored = "RECORDINGSTORED"
        case storeRecordingFailed = "STORERECORDINGFAILED"
        case recordingDeleted = "RECORDINGDELETED"
        case deleteRecordingFailed = "DELETERECORDINGFAILED"
        case recordingFailedAlarm = "alarm recordingFailed"
        case storeRecordingErrorAlarm = "alarm storeRecordingError"
        case tempRecordingDeletedAlarm = "alarm tempRecordingDeleted"
    }

    /// The state after an event and what to announce.
    public struct Transition: Sendable, Equatable {
        public var state: RecordingState
        public var announce: [Announcement]

        public init(_ state: RecordingState, _ announce: [Announcement] = []) {
            self.state = state
            self.announce = announce
        }
    }

    /// An event the recording's state does not allow; `reason` is what the caller is told.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var state: RecordingState
        public var event: Event
        public var reason: String
        public var description: String { reason }

        public init(state: RecordingState, event: Event, reason: String) {
            self.state = state
            self.event = event
            self.reason = reason
        }
    }

    /// The transition `event` makes from `state`, or why it cannot happen.
    public static func apply(_ event: Event, to state: RecordingState) -> Result<Transition, Refusal> {
        func refused(_ reason: String) -> Result<Transition, Refusal> {
            .failure(Refusal(state: state, event: event, reason: reason))
        }
        switch (event, state) {
        case (.started(let paused), .pending):
            return .success(Transition(paused ? .paused : .recording, [.recordingStarted]))
        case (.started, _):
            return refused("recording is already \(state)")
        case (.pause, .recording):
            return .success(Transition(.paused, [.recordingPaused]))
        case (.resume, .paused):
            return .success(Transition(.recording, [.recordingResumed]))
        case (.pause, .paused):
            return refused("recording is already paused")
        case (.resume, .recording):
            return refused("recording is already recording")
        case (.pause, _), (.resume, _):
            return refused("recording is \(state); pause and resume need a recording in progress")
        case (.ended(let ending), .pending), (.ended(let ending), .recording), (.ended(let ending), .paused):
            switch ending {
            case .complete: return .success(Transition(.ready, [.recordingReady]))
            case .failed: return .success(Transition(.failed, [.recordingFailed, .recordingFailedAlarm]))
            case .cancelled: return .success(Transition(.cancelled, [.recordingCancelled]))
            }
        case (.ended, _):
            return refused("recording has already ended (\(state))")
        case (.recovered(let hasAudio), .pending), (.recovered(let hasAudio), .recording), (.recovered(let hasAudio), .paused):
            return .success(hasAudio ? Transition(.ready, [.recordingReady]) : Transition(.failed, [.recordingFailed]))
        case (.recovered, _):
            return refused("recording is \(state): nothing to recover")
        case (.storeSucceeded, .ready):
            return .success(Transition(.stored, [.recordingStored]))
        case (.storeSucceeded, .stored), (.storeSucceeded, .deleted), (.storeSucceeded, .expired):
            // Another bucket's copy, or the temporary files went while the copy was written: the bucket has
            // the file all the same, so it is announced; the state stays.
            return .success(Transition(state, [.recordingStored]))
        case (.storeSucceeded, _):
            return refused("recording is \(state); only a ready or stored recording can be stored")
        case (.storeFailed, _), (.deleteFailed, _):
            let failure: [Announcement] = event == .storeFailed ? [.storeRecordingFailed, .storeRecordingErrorAlarm] : [.deleteRecordingFailed]
            return .success(Transition(state, failure))
        case (.deleted, .ready), (.deleted, .stored), (.deleted, .failed), (.deleted, .cancelled):
            return .success(Transition(.deleted, [.recordingDeleted]))
        case (.deleted, _):
            return refused("recording is \(state); nothing is left in the temporary store")
        case (.expired, .ready), (.expired, .stored), (.expired, .failed):
            return .success(Transition(.expired, [.tempRecordingDeletedAlarm]))
        case (.expired, _):
            return refused("recording is \(state); only the temporary store expires")
        }
    }

    /// The state after `event`, or nil when the model has no such transition.
    public static func next(_ state: RecordingState, on event: Event) -> RecordingState? {
        try? apply(event, to: state).get().state
    }
}
