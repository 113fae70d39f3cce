/// One recording as the catalog stores it: the SIPREC session, its participants and media streams.
public struct RecordingRecord: Sendable, Equatable {
    /// UUID, lowercase. Lookups by id ignore case.
    public var recordingId: String
    public var state: RecordingState
    /// Call-ID of the SIPREC dialog (between the SRC and siprecd).
    public var sipRecCallId: String
    /// Recording session id from the metadata, when known.
    public var sessionId: String?
    /// Communication session group id from the metadata, when known.
    public var groupId: String?
    /// User part of the Request-URI.
    public var calledParty: String
    /// Host part of the Request-URI.
    public var domain: String
    /// The SRC's `ip:port`.
    public var sourceAddress: String
    /// Unix time in milliseconds.
    public var startTime: Int64
    /// Unix time in milliseconds; nil while the recording is running.
    public var endTime: Int64?
    /// Why the recording failed, when it did.
    public var reason: String?
    /// Non-fatal problems noticed while recording, in order.
    public var warnings: [RecordingWarning]
    /// Master (multi-channel) file, relative to the data directory.
    public var masterPath: String?
    /// MP3 file, relative to the data directory.
    public var mp3Path: String?
    /// Participants, in order.
    public var participants: [ParticipantRecord]
    /// Media streams, in order.
    public var streams: [StreamRecord]
    /// An opaque JSON object produced by the daemon (channel assignment, pauses, DTMF, ...). Default `{}`.
    public var detailsJSON: String
    /// Unix time in milliseconds of the last change.
    public var updatedAt: Int64
    /// The call key the matching recording rule took from the session (header, Call-ID, metadata).
    public var callKey: String?
    /// The role of the recording rule (≤ 20 characters), when it has one.
    public var role: String?
    /// The recorded call's own SIP Call-ID, from the metadata (see `CallIdentity`), when it carries one.
    public var originalCallId: String?
    /// The Avaya UCID (Universal Call ID) of the recorded call, when the metadata carries one.
    public var ucid: String?
    /// The master's rate, samples a second (8000, 16000 or 48000): the unit of every `…Sample` position.
    public var sampleRate: Int

    /// Creates a record; optional and list fields default to nil or empty, `detailsJSON` to `{}`.
    public init(
        recordingId: String, state: RecordingState, sipRecCallId: String, sessionId: String? = nil, groupId: String? = nil,
        calledParty: String, domain: String, sourceAddress: String, startTime: Int64, endTime: Int64? = nil,
        reason: String? = nil, warnings: [RecordingWarning] = [], masterPath: String? = nil, mp3Path: String? = nil,
        participants: [ParticipantRecord] = [], streams: [StreamRecord] = [], detailsJSON: String = "{}", updatedAt: Int64,
        callKey: String? = nil, role: String? = nil, originalCallId: String? = nil, ucid: String? = nil,
        sampleRate: Int = 8_000
    ) {
        self.sampleRate = sampleRate
        self.recordingId = recordingId
        self.state = state
        self.sipRecCallId = sipRecCallId
        self.sessionId = sessionId
        self.groupId = groupId
        self.calledParty = calledParty
        self.domain = domain
        self.sourceAddress = sourceAddress
        self.startTime = startTime
        self.endTime = endTime
        self.reason = reason
        self.warnings = warnings
        self.masterPath = masterPath
        self.mp3Path = mp3Path
        self.participants = participants
        self.streams = streams
        self.detailsJSON = detailsJSON
        self.updatedAt = updatedAt
        self.callKey = callKey
        self.role = role
        self.originalCallId = originalCallId
        self.ucid = ucid
    }
}

/// A participant of the recorded call.
public struct ParticipantRecord: Sendable, Equatable {
    /// Participant id from the recording metadata.
    public var participantId: String
    /// Address of record (SIP URI or tel URI).
    public var aor: String
    /// Display name, when given.
    public var name: String?
    /// `caller`, `callee` or `other`.
    public var role: String

    /// Creates a participant.
    public init(participantId: String, aor: String, name: String? = nil, role: String) {
        self.participantId = participantId
        self.aor = aor
        self.name = name
        self.role = role
    }
}

/// One recorded RTP stream and its reception statistics.
public struct StreamRecord: Sendable, Equatable {
    /// SDP `a=label`, when present.
    public var label: String?
    /// Index of the SDP m-line.
    public var mLineIndex: Int
    /// Codec name (e.g. `PCMA`), once known.
    public var codec: String?
    /// RTP SSRC, once the first packet arrived.
    public var ssrc: UInt32?
    /// Unix time in milliseconds of the first packet.
    public var startTime: Int64?
    /// Sample offset of the first packet in the master file.
    public var startSample: Int64?
    /// Channel index in the master file.
    public var channel: Int
    /// `caller`, `callee` or `other`.
    public var role: String
    /// Packets received.
    public var packets: Int64
    /// Packets lost.
    public var lost: Int64
    /// Packets that arrived too late to be used.
    public var late: Int64
    /// Duplicate packets dropped.
    public var duplicates: Int64

    /// Creates a stream; counters default to zero.
    public init(
        label: String? = nil, mLineIndex: Int, codec: String? = nil, ssrc: UInt32? = nil, startTime: Int64? = nil,
        startSample: Int64? = nil, channel: Int, role: String, packets: Int64 = 0, lost: Int64 = 0, late: Int64 = 0,
        duplicates: Int64 = 0
    ) {
        self.label = label
        self.mLineIndex = mLineIndex
        self.codec = codec
        self.ssrc = ssrc
        self.startTime = startTime
        self.startSample = startSample
        self.channel = channel
        self.role = role
        self.packets = packets
        self.lost = lost
        self.late = late
        self.duplicates = duplicates
    }
}

/// What a recording list is narrowed to (every field given must match).
public struct RecordingFilter: Sendable, Equatable {
    public var state: RecordingState?
    public var callKey: String?
    /// The recorded call's own Call-ID (`originalCallId`), or its Avaya UCID.
    public var originalCallId: String?
    public var ucid: String?

    public init(state: RecordingState? = nil, callKey: String? = nil, originalCallId: String? = nil, ucid: String? = nil) {
        self.state = state
        self.callKey = callKey
        self.originalCallId = originalCallId
        self.ucid = ucid
    }
}
