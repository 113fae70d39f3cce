/// Building the model from the XML tree.
extension RecordingMetadata {
    /// Reads metadata from a parsed `<recording>` element (RFC 7865), or `<recording_metadata>` of
    /// the pre-RFC schema (draft-ietf-siprec-metadata, namespace `urn:ietf:params:xml:ns:siprec`:
    /// BroadWorks, Webex Calling), whose elements carry the same model with draft names (`dataMode`,
    /// `id=`/`session=` attributes, `<send>`/`<recv>` inside `<participant>`).
    ///
    /// Elements without the id they need (a participant without any id attribute, say) are
    /// skipped: nothing could reference them, and refusing the whole recording for it would
    /// lose the call.
    init(root: XMLElement) throws(MetadataError) {
        let draft = root.isNamed("recording_metadata")
        guard root.isNamed("recording") || draft else {
            throw MetadataError(code: .notRecordingMetadata,
                                message: "root element is <\(root.name)> at line \(root.line), expected <recording> (RFC 7865) or <recording_metadata> (draft-ietf-siprec-metadata)")
        }
        // A root with text and no elements lost its markup on the way (a BroadWorks body damaged in
        // transit): nothing in it can be trusted, so it is unreadable rather than empty.
        if root.children.isEmpty, !root.trimmedText.isEmpty {
            throw MetadataError(code: .malformed,
                                message: "<\(root.name)> holds \(root.trimmedText.count) characters of text and no elements: its markup was lost")
        }
        self.init()
        schema = draft ? .draft : .rfc7865
        for child in root.children {
            switch child.localName.lowercased() {
            case "datamode":
                dataMode = child.trimmedText.lowercased() == "partial" ? .partial : .complete
            case "group":
                readGroup(child)
            case "session":
                readSession(child)
            case "participant":
                readParticipant(child)
            case "stream":
                readStream(child)
            case "sessionrecordingassoc":
                guard let sessionId = child.attribute("session_id", "session") else { continue }
                sessionRecordingAssociations.append(SessionRecordingAssociation(
                    sessionId: sessionId, associateTime: child.childText("associate-time"),
                    disassociateTime: child.childText("disassociate-time")))
            case "participantsessionassoc":
                guard let participantId = child.attribute("participant_id", "participant"),
                      let sessionId = child.attribute("session_id", "session") else { continue }
                participantSessionAssociations.append(ParticipantSessionAssociation(
                    participantId: participantId, sessionId: sessionId,
                    associateTime: child.childText("associate-time"),
                    disassociateTime: child.childText("disassociate-time")))
            case "participantstreamassoc":
                guard let participantId = child.attribute("participant_id", "participant") else { continue }
                participantStreamAssociations.append(ParticipantStreamAssociation(
                    participantId: participantId, send: Self.texts(child, "send"), recv: Self.texts(child, "recv"),
                    associateTime: child.childText("associate-time"),
                    disassociateTime: child.childText("disassociate-time")))
            default:
                Self.collectExtensions(from: child, parent: root, into: &extensions)
            }
        }
        foldStreamAssociations(participantStreamAssociations, replacing: false)
        markDisassociatedParticipants()
    }

    private mutating func readGroup(_ element: XMLElement) {
        guard let id = element.attribute("group_id", "id") else { return }
        groups.append(Group(id: id, associateTime: element.childText("associate-time")))
        Self.collectUnknownChildren(of: element, into: &extensions)
    }

    private mutating func readSession(_ element: XMLElement) {
        guard let id = element.attribute("session_id", "id") else { return }
        sessions.append(Session(
            id: id,
            groupRef: element.childText("group-ref") ?? element.attribute("group_id", "group"),
            sipSessionIDs: Self.texts(element, "sipSessionID"),
            startTime: element.childText("start-time"),
            stopTime: element.childText("stop-time"),
            associateTime: element.childText("associate-time")))
        Self.collectUnknownChildren(of: element, into: &extensions)
    }

    private mutating func readParticipant(_ element: XMLElement) {
        guard let id = element.attribute("participant_id", "id") else { return }
        let nameIDs = element.children("nameID").compactMap { nameID -> NameID? in
            guard let aor = nameID.attribute("aor")?.trimmingXMLWhitespace(), !aor.isEmpty else { return nil }
            return NameID(aor: aor, name: nameID.childText("name"))
        }
        var participant = Participant(
            id: id, nameIDs: nameIDs, send: Self.texts(element, "send"), recv: Self.texts(element, "recv"),
            associateTime: element.childText("associate-time"),
            disassociateTime: element.childText("disassociate-time"))
        Self.collectUnknownChildren(of: element, into: &participant.extensions)
        participants.append(participant)
        // Draft-style (Acme) metadata ties the participant to its session with an attribute.
        if let sessionId = element.attribute("session_id", "session") {
            participantSessionAssociations.append(ParticipantSessionAssociation(
                participantId: id, sessionId: sessionId, associateTime: participant.associateTime,
                disassociateTime: participant.disassociateTime))
        }
    }

    private mutating func readStream(_ element: XMLElement) {
        guard let id = element.attribute("stream_id", "id") else { return }
        streams.append(Stream(id: id, label: element.childText("label"),
                              sessionId: element.attribute("session_id", "session")))
        Self.collectUnknownChildren(of: element, into: &extensions)
    }

    /// Non-empty trimmed texts of all children with this local name.
    static func texts(_ element: XMLElement, _ localName: String) -> [String] {
        element.children(localName).map(\.trimmedText).filter { !$0.isEmpty }
    }
}
