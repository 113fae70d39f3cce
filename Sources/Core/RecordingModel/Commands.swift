/// What users ask of recordings, as the API decodes it: the commands carry no HTTP and no JSON, so the
/// recording service and the catalog can take them without knowing where they came from.

/// Runtime control of a recording in progress (references 002 and 004).
public enum ControlAction: String, Sendable, CaseIterable {
    case pause, resume, stop, cancel, directions
    /// Deletes a finished recording from the temporary store (DELETERECORDING without a replyId).
    case delete
}

/// A control request: the action, who asked, and for `directions` the two modes
/// (`active` | `inactive` | `none` | `nochange`; omitted = `nochange`).
public struct ControlCommand: Sendable, Equatable {
    public var action: ControlAction
    public var requestedBy: String?
    public var inbound: String?
    public var outbound: String?
    /// When the request was read (CLOCK_MONOTONIC ns): the router stamps every request it decodes.
    public var receivedNanos: Int64 = 0

    public init(action: ControlAction, requestedBy: String? = nil, inbound: String? = nil, outbound: String? = nil) {
        self.action = action
        self.requestedBy = requestedBy
        self.inbound = inbound
        self.outbound = outbound
    }
}

/// A command of the cloud recording API (reference 001): `{method, recordingId, replyId}` posted to
/// `/{domain}/stoprecording`, `/{domain}/cancelrecording`, `/{domain}/deleterecording`,
/// `/{domain}/storerecording` or `/{domain}/mergerecordings`.
public struct CloudCommand: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case stop = "STOPRECORDING"
        case cancel = "CANCELRECORDING"
        case delete = "DELETERECORDING"
        case store = "STORERECORDING"
        case merge = "MERGERECORDINGS"
    }

    public var kind: Kind
    public var recordingId: String
    public var replyId: String
    /// The body as received (alarms quote it as `event`).
    public var raw: String
    /// When the request was read (CLOCK_MONOTONIC ns): the router stamps every request it decodes.
    public var receivedNanos: Int64 = 0
    /// STORERECORDING's destination and edits.
    public var store: StoreParameters?
    /// MERGERECORDINGS' destination and recordings (its `recordingId` is empty: the replyId may be any
    /// of theirs).
    public var merge: MergeParameters?

    public init(kind: Kind, recordingId: String, replyId: String, raw: String, store: StoreParameters? = nil, merge: MergeParameters? = nil) {
        self.kind = kind
        self.recordingId = recordingId
        self.replyId = replyId
        self.raw = raw
        self.store = store
        self.merge = merge
    }
}

/// The body of STORERECORDING (reference 001) beyond `recordingId` and `replyId`: where the file goes and
/// how to edit it. Times are seconds from the recording's start (fractions allowed) or, with
/// `absoluteTimes`, Unix milliseconds (the product's rule, PRODUCT.md).
public struct StoreParameters: Sendable, Equatable {
    public struct Span: Sendable, Equatable {
        public var from: Double
        public var to: Double

        public init(from: Double, to: Double) {
            self.from = from
            self.to = to
        }
    }

    public var destinationBucket: String
    public var fileName: String?
    public var encryptionKey: String?
    public var absoluteTimes = false
    public var trim: Span?
    /// Per channel (`mask.caller`, `mask.callee`), or both channels (`mask` with `from`/`to`).
    public var maskCaller: [Span] = []
    public var maskCallee: [Span] = []
    /// `beep` (default, reference 003) or `silence`.
    public var maskFill = "beep"

    public init(destinationBucket: String, fileName: String? = nil, encryptionKey: String? = nil) {
        self.destinationBucket = destinationBucket
        self.fileName = fileName
        self.encryptionKey = encryptionKey
    }
}

/// The body of MERGERECORDINGS (reference 001): recordings placed on one timeline by their `startTime`
/// (Unix ms), in any order; `conferenceSegments` (Unix ms) mark where only the earliest one is used.
public struct MergeParameters: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var recordingId: String
        public var startTime: Int64
        public var conferenceSegments: [Range<Int64>]

        public init(recordingId: String, startTime: Int64, conferenceSegments: [Range<Int64>] = []) {
            self.recordingId = recordingId
            self.startTime = startTime
            self.conferenceSegments = conferenceSegments
        }
    }

    public var destinationBucket: String
    public var fileName: String?
    public var encryptionKey: String?
    public var toMerge: [Item]

    public init(destinationBucket: String, fileName: String? = nil, encryptionKey: String? = nil, toMerge: [Item]) {
        self.destinationBucket = destinationBucket
        self.fileName = fileName
        self.encryptionKey = encryptionKey
        self.toMerge = toMerge
    }
}

/// `POST /api/v1/sip/sipRecording` (an SBC's "On-Demand SIPREC using REST"): start or stop recording the
/// calls with a call key.
public struct SipRecordingCommand: Sendable, Equatable {
    public enum Command: String, Sendable { case start, stop }

    public var command: Command
    public var callKey: String
    /// Up to 20 characters; matched against the recording rule's role.
    public var role: String?
    /// `callRecordingDestUsername`, up to 60 characters; matched against the SIPREC Request-URI user.
    public var destUser: String?
    /// Up to 10 name/value pairs, start only; kept with the recording and echoed in its events.
    public var headers: [(name: String, value: String)]
    /// Who asked (siprecd's extension; e.g. a supervisor's id).
    public var requestedBy: String?
    /// When the request was read (CLOCK_MONOTONIC ns): the router stamps every request it decodes.
    public var receivedNanos: Int64 = 0

    public init(command: Command, callKey: String, role: String? = nil, destUser: String? = nil,
                headers: [(name: String, value: String)] = [], requestedBy: String? = nil) {
        self.command = command
        self.callKey = callKey
        self.role = role
        self.destUser = destUser
        self.headers = headers
        self.requestedBy = requestedBy
    }

    public static func == (a: SipRecordingCommand, b: SipRecordingCommand) -> Bool {
        a.command == b.command && a.callKey == b.callKey && a.role == b.role && a.destUser == b.destUser
            && a.requestedBy == b.requestedBy && a.headers.map { "\($0.name)\n\($0.value)" } == b.headers.map { "\($0.name)\n\($0.value)" }
    }
}

/// Why a command on a recording was refused. Domain words only: the API chooses the HTTP status.
public struct ControlFailure: Error, Equatable, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Nothing matches (no such call, recording or rule).
        case notFound
        /// The recording is not in a state that allows it.
        case conflict
        /// The request itself is wrong.
        case invalid
        /// siprecd could not do it (the catalog, the files).
        case failed
    }

    public var kind: Kind
    public var reason: String

    public init(kind: Kind, reason: String) {
        self.kind = kind
        self.reason = reason
    }
}
