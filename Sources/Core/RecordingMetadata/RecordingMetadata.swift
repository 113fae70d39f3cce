/// SIPREC recording metadata (RFC 7865) as carried in an `application/rs-metadata+xml` body.
///
/// Parsing is lenient about what real session recording clients send (Cisco, Sonus,
/// Acme/Oracle, BroadWorks, Connectel, procomm...): names are matched by local name,
/// case-insensitively, ignoring namespace prefixes and URIs; ids are read from the
/// RFC attributes (`participant_id`, ...) or the older draft attributes (`id`, `session`,
/// ...). It is strict only where safety needs it: see ``XMLDocument``.
///
/// Participant stream associations are folded into each ``Participant``'s `send`/`recv`
/// lists, whichever style the sender used, so consumers need to look in one place only.
public struct RecordingMetadata: Sendable, Equatable {
    /// Whether a metadata snapshot is the whole state or only the changes.
    public enum DataMode: String, Sendable, Equatable {
        /// The document describes the whole recording session; it replaces earlier state.
        case complete
        /// The document carries only changes; see ``RecordingMetadata/merging(_:)``.
        case partial
    }

    /// Which schema the document followed.
    public enum Schema: String, Sendable, Equatable {
        /// RFC 7865: root `<recording>`.
        case rfc7865
        /// The pre-RFC draft (draft-ietf-siprec-metadata): root `<recording_metadata>`.
        case draft = "draft-ietf-siprec-metadata"
    }

    /// `complete` unless the document says `partial`.
    public var dataMode: DataMode
    /// The schema of the document (a merge keeps the first one's).
    public var schema: Schema = .rfc7865
    /// Communication sessions being recorded (`<session>`).
    public var sessions: [Session]
    /// Groups of related communication sessions (`<group>`).
    public var groups: [Group]
    /// Participants (`<participant>`), with their send/recv streams resolved.
    public var participants: [Participant]
    /// Media streams (`<stream>`), each tied to an SDP m-line by its label.
    public var streams: [Stream]
    /// `<sessionrecordingassoc>` entries.
    public var sessionRecordingAssociations: [SessionRecordingAssociation]
    /// `<participantsessionassoc>` entries, plus draft-style `session=` attributes on participants.
    public var participantSessionAssociations: [ParticipantSessionAssociation]
    /// `<participantstreamassoc>` entries as written (already folded into ``participants``).
    public var participantStreamAssociations: [ParticipantStreamAssociation]
    /// Vendor data outside RFC 7865, flattened to `"parentLocalName.localName": text`,
    /// e.g. Sonus `"callData.fromhdr"`. The first occurrence of a key wins.
    public var extensions: [String: String]

    /// Creates metadata; everything defaults to empty, data mode to `complete`.
    public init(dataMode: DataMode = .complete, sessions: [Session] = [], groups: [Group] = [],
                participants: [Participant] = [], streams: [Stream] = [],
                sessionRecordingAssociations: [SessionRecordingAssociation] = [],
                participantSessionAssociations: [ParticipantSessionAssociation] = [],
                participantStreamAssociations: [ParticipantStreamAssociation] = [],
                extensions: [String: String] = [:]) {
        self.dataMode = dataMode
        self.sessions = sessions
        self.groups = groups
        self.participants = participants
        self.streams = streams
        self.sessionRecordingAssociations = sessionRecordingAssociations
        self.participantSessionAssociations = participantSessionAssociations
        self.participantStreamAssociations = participantStreamAssociations
        self.extensions = extensions
    }

    /// Parses an `rs-metadata` body.
    ///
    /// - Throws: ``MetadataError`` when the bytes are not well-formed XML, exceed the
    ///   ``XMLDocument/Limits``, or the root element is not `<recording>`.
    public static func parse(_ bytes: [UInt8]) throws(MetadataError) -> RecordingMetadata {
        try parseReporting(bytes).metadata
    }

    /// Parses an `rs-metadata` body and says what had to be repaired to read it (a bare `&` kept as
    /// text, say): the warning `metadataRepaired`. Empty when the document was clean.
    public static func parseReporting(_ bytes: [UInt8]) throws(MetadataError) -> (metadata: RecordingMetadata, repairs: [String]) {
        let document = try XMLDocument.parse(bytes)
        return (try RecordingMetadata(root: document.root), document.repairs)
    }

    /// The participant with this id, if any.
    public func participant(id: String) -> Participant? {
        participants.first { $0.id == id }
    }

    /// The first stream carrying this SDP `a=label` value, if any.
    public func stream(label: String) -> Stream? {
        streams.first { $0.label == label }
    }
}
