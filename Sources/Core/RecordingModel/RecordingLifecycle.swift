/// PRODUCT.md's recording state model as a pure state machine: `pending` → `recording` ⇄ `paused` → `ready`
/// → `stored` → `deleted`, with the side exits `cancelled`, `failed` and `expired`. It takes what happened to a
/// recording and returns its next state, what must be announced and what must be done (`Effect`: attach or
/// finish the media, remove files, write the row, answer the requests that wait); it never touches a socket,
/// a file or the catalog itself. The daemon asks it at every state change and performs the effects it
/// returns, so a transition the model does not have is refused in one place (with the reason the API
/// shows), and what follows a transition is decided here, not again in each code path.
public enum RecordingLifecycle {
    /// What happened to a recording.
    public enum Event: Sendable, Equatable {
        /// Its row is written and audio is kept from now on (`paused`: every stream offered inactive).
        case started(paused: Bool)
        /// A pause (REST, the SRC's a=inactive or hold on every stream) or its end.
        case pause, resume
        /// Capture must stop and the files close, keeping what was recorded: a BYE, a stop command, both
        /// directions set to none, an RTP timeout, a vanished SRC, shutdown.
        case stop
        /// Capture must stop and nothing of the recording be kept: a cancel command.
        case cancel
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
        /// It ended before any audio was kept (the session ended first, shutdown).
        case cancelled
        /// A cancel command ended it: RECORDINGCANCELLED, and what it wrote is removed.
        case discarded
    }

    /// What a transition must be followed by, in this order, besides its announcements.
    public enum Effect: Sendable, Equatable {
        /// Write the recording's row, with what is announced, in one catalog transaction.
        case persist
        /// Hand the recording to the media engine: its streams take packets from now on.
        case attachMedia
        /// Stop taking packets and close the files; their outcome comes back as `ended`.
        case finishMedia
        /// Remove the stream-start journal next to the master (the final row says where streams start).
        case removeStartJournal
        /// Remove what the recording keeps in the temporary store (master and MP3).
        case removeFiles
        /// Answer the requests that wait for the files to close (stop, cancel, a device API stop).
        case answerWaiters
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

    /// The state after an event, what to announce and what to do.
    public struct Transition: Sendable, Equatable {
        public var state: RecordingState
        public var announce: [Announcement]
        public var effects: [Effect]

        public init(_ state: RecordingState, _ announce: [Announcement] = [], effects: [Effect] = []) {
            self.state = state
            self.announce = announce
            self.effects = effects
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

    /// The transition `event` makes from `state` with its effects, or why it cannot happen.
    public static func apply(_ event: Event, to state: RecordingState) -> Result<Transition, Refusal> {
        transition(event, from: state).map { transition in
            var withEffects = transition
            withEffects.effects = effects(of: event)
            return withEffects
        }
    }

    /// What follows an event the state allows; the same from every state that allows it.
    static func effects(of event: Event) -> [Effect] {
        switch event {
        case .started: return [.persist, .attachMedia]
        case .pause, .resume: return [.persist]
        case .stop, .cancel: return [.finishMedia]
        case .ended(.discarded): return [.removeStartJournal, .removeFiles, .persist, .answerWaiters]
        case .ended: return [.removeStartJournal, .persist, .answerWaiters]
        case .recovered: return [.removeStartJournal, .persist]
        case .storeSucceeded, .deleteFailed: return [.persist]
        // The row stays as it is; the failure is announced (STORERECORDINGFAILED and its alarm).
        case .storeFailed: return []
        case .deleted, .expired: return [.removeFiles, .persist]
        }
    }

    static func transition(_ event: Event, from state: RecordingState) -> Result<Transition, Refusal> {
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
        case (.stop, .pending), (.stop, .recording), (.stop, .paused), (.cancel, .pending), (.cancel, .recording), (.cancel, .paused):
            // The state holds until the files are closed; the end is announced with `ended`.
            return .success(Transition(state))
        case (.stop, _), (.cancel, _):
            return refused("recording is \(state); stop and cancel need a recording in progress")
        case (.ended(let ending), .pending), (.ended(let ending), .recording), (.ended(let ending), .paused):
            switch ending {
            case .complete: return .success(Transition(.ready, [.recordingReady]))
            case .failed: return .success(Transition(.failed, [.recordingFailed, .recordingFailedAlarm]))
            case .cancelled, .discarded: return .success(Transition(.cancelled, [.recordingCancelled]))
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
