extension RecordingMetadata {
    /// `<sessionrecordingassoc>`: a session joined (or left) the recording.
    public struct SessionRecordingAssociation: Sendable, Equatable {
        /// The associated session.
        public var sessionId: String
        /// `<associate-time>`, as written.
        public var associateTime: String?
        /// `<disassociate-time>`, as written.
        public var disassociateTime: String?

        /// Creates an association.
        public init(sessionId: String, associateTime: String? = nil, disassociateTime: String? = nil) {
            self.sessionId = sessionId
            self.associateTime = associateTime
            self.disassociateTime = disassociateTime
        }
    }

    /// `<participantsessionassoc>`: a participant joined (or left) a session.
    public struct ParticipantSessionAssociation: Sendable, Equatable {
        /// The participant.
        public var participantId: String
        /// The session.
        public var sessionId: String
        /// `<associate-time>`, as written.
        public var associateTime: String?
        /// `<disassociate-time>`, as written.
        public var disassociateTime: String?

        /// Creates an association.
        public init(participantId: String, sessionId: String,
                    associateTime: String? = nil, disassociateTime: String? = nil) {
            self.participantId = participantId
            self.sessionId = sessionId
            self.associateTime = associateTime
            self.disassociateTime = disassociateTime
        }
    }

    /// `<participantstreamassoc>`: which streams a participant sends and receives.
    public struct ParticipantStreamAssociation: Sendable, Equatable {
        /// The participant.
        public var participantId: String
        /// Stream ids in `<send>` children.
        public var send: [String]
        /// Stream ids in `<recv>` children.
        public var recv: [String]
        /// `<associate-time>`, as written.
        public var associateTime: String?
        /// `<disassociate-time>`, as written.
        public var disassociateTime: String?

        /// Creates an association.
        public init(participantId: String, send: [String] = [], recv: [String] = [],
                    associateTime: String? = nil, disassociateTime: String? = nil) {
            self.participantId = participantId
            self.send = send
            self.recv = recv
            self.associateTime = associateTime
            self.disassociateTime = disassociateTime
        }
    }
}
