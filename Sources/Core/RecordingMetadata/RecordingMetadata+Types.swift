extension RecordingMetadata {
    /// A recorded communication session (`<session>`).
    public struct Session: Sendable, Equatable {
        /// `session_id` (or draft `id`) attribute.
        public var id: String
        /// `<group-ref>`: the group this session belongs to.
        public var groupRef: String?
        /// `<sipSessionID>` values (RFC 7989 Session-ID of the recorded call).
        public var sipSessionIDs: [String]
        /// `<start-time>`, as written (ISO 8601 text; not interpreted here).
        public var startTime: String?
        /// `<stop-time>`, as written.
        public var stopTime: String?
        /// `<associate-time>` (draft style puts it directly in `<session>`).
        public var associateTime: String?

        /// Creates a session.
        public init(id: String, groupRef: String? = nil, sipSessionIDs: [String] = [],
                    startTime: String? = nil, stopTime: String? = nil, associateTime: String? = nil) {
            self.id = id
            self.groupRef = groupRef
            self.sipSessionIDs = sipSessionIDs
            self.startTime = startTime
            self.stopTime = stopTime
            self.associateTime = associateTime
        }
    }

    /// A group of related sessions (`<group>`).
    public struct Group: Sendable, Equatable {
        /// `group_id` (or draft `id`) attribute.
        public var id: String
        /// `<associate-time>`, as written.
        public var associateTime: String?

        /// Creates a group.
        public init(id: String, associateTime: String? = nil) {
            self.id = id
            self.associateTime = associateTime
        }
    }

    /// A participant's identity: an address of record and an optional display name.
    public struct NameID: Sendable, Equatable {
        /// The `aor` attribute exactly as given; some SRCs omit the `sip:` scheme.
        public var aor: String
        /// `<name>` text, or `nil` when absent or blank.
        public var name: String?

        /// Creates a name id.
        public init(aor: String, name: String? = nil) {
            self.aor = aor
            self.name = name
        }
    }

    /// A party to the recorded call (`<participant>`).
    public struct Participant: Sendable, Equatable {
        /// `participant_id` (or draft `id`) attribute.
        public var id: String
        /// `<nameID>` children in document order.
        public var nameIDs: [NameID]
        /// Stream ids this participant sends on (draft `<send>` or `<participantstreamassoc>`).
        public var send: [String]
        /// Stream ids this participant receives.
        public var recv: [String]
        /// `<associate-time>`, as written.
        public var associateTime: String?
        /// When the participant left; set from `<disassociate-time>` in the participant or
        /// when every one of its session associations carries one.
        public var disassociateTime: String?
        /// Vendor data inside this participant, flattened like ``RecordingMetadata/extensions``
        /// (e.g. Acme `"extensiondata.callingParty": "true"`).
        public var extensions: [String: String]

        /// Creates a participant.
        public init(id: String, nameIDs: [NameID] = [], send: [String] = [], recv: [String] = [],
                    associateTime: String? = nil, disassociateTime: String? = nil,
                    extensions: [String: String] = [:]) {
            self.id = id
            self.nameIDs = nameIDs
            self.send = send
            self.recv = recv
            self.associateTime = associateTime
            self.disassociateTime = disassociateTime
            self.extensions = extensions
        }

        /// Whether the participant has left the recorded session(s).
        public var isDisassociated: Bool { disassociateTime != nil }

        /// The first AoR, the one used for display and caller matching.
        public var aor: String? { nameIDs.first?.aor }

        /// The first non-empty display name.
        public var name: String? { nameIDs.lazy.compactMap(\.name).first }
    }

    /// A media stream (`<stream>`).
    public struct Stream: Sendable, Equatable {
        /// `stream_id` (or draft `id`) attribute.
        public var id: String
        /// `<label>`: matches the `a=label` of an SDP m-line.
        public var label: String?
        /// `session_id` (or draft `session`) attribute.
        public var sessionId: String?

        /// Creates a stream.
        public init(id: String, label: String? = nil, sessionId: String? = nil) {
            self.id = id
            self.label = label
            self.sessionId = sessionId
        }
    }
}
